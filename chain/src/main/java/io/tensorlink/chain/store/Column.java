package io.tensorlink.chain.store;

import java.nio.charset.StandardCharsets;

/**
 * The store's column families. Names are part of the on-disk schema: renaming one is a schema
 * change. RocksDB's mandatory {@code default} family holds the store's own metadata (schema version).
 */
public enum Column {
  /** jobId → job state (the validator's view of a job). */
  JOBS("jobs"),
  /** jobId ‖ step ‖ stage ‖ replica → a worker's signed step record (wire form). */
  RECORDS("records"),
  /** jobId ‖ index → a PoL block entry (header, status). */
  BLOCKS("blocks"),
  /** jobId ‖ index ‖ blockHash ‖ validator → that validator's attestation. */
  ATTESTATIONS("attestations"),
  /** jobId ‖ step → checkpoint metadata (roots of every stage after that step). */
  CHECKPOINTS("checkpoints"),
  /** jobId ‖ index → the one block hash this node signed for that (job, index). */
  SIGNING_GUARD("signing_guard"),
  /** cursor name → next chain block to read, with the position's block hash. */
  CURSOR("cursor"),
  /** kind ‖ id → work owed to the chain (a challenge, a committee vote), kept until done. Since schema 2. */
  DUTIES("duties");

  private final String familyName;

  Column(final String familyName) {
    this.familyName = familyName;
  }

  public String familyName() {
    return familyName;
  }

  byte[] familyNameBytes() {
    return familyName.getBytes(StandardCharsets.UTF_8);
  }
}
