package io.tensorlink.chain.validator.dispute;

import io.tensorlink.chain.store.BlockKey;
import io.tensorlink.chain.store.RecordKey;

/** The records of anchored blocks this node holds, as evidence for the court. */
public interface BlockRecords {
  /**
   * The record's leaf (its EIP-712 record hash).
   *
   * @throws EvidenceUnavailableException naming what is missing
   */
  byte[] leaf(BlockKey block, RecordKey record);

  /**
   * The record and its proof in {@code block}.
   *
   * @throws EvidenceUnavailableException naming what is missing (the block, the record, a record of
   *     the block's range) when this node cannot build the proof
   */
  RecordProof proof(BlockKey block, RecordKey record);
}
