package io.tensorlink.chain.validator.dispute;

import io.tensorlink.chain.store.BlockKey;
import io.tensorlink.chain.store.RecordKey;
import java.util.List;
import java.util.Objects;

/**
 * What a challenger reveals, as the validator holds it; the court adapter adds the anchored header
 * and its signer list (read from the anchoring transaction's events at {@code anchoredIn}).
 *
 * @param block the anchored block holding the record
 * @param blockHash the anchored header's hash (hashStruct)
 * @param anchoredIn the chain block of the anchoring transaction
 * @param record the disputed record's key
 * @param recordWire the signed record's wire form as its worker published it
 * @param stepProof the record leaf's Merkle proof in the block's stepsRoot
 * @param salt the commitment's salt
 */
public record ChallengeEvidence(BlockKey block, byte[] blockHash, long anchoredIn, RecordKey record, byte[] recordWire,
    List<byte[]> stepProof, byte[] salt) {
  public ChallengeEvidence {
    Objects.requireNonNull(block, "block");
    Objects.requireNonNull(record, "record");
    blockHash = blockHash.clone();
    recordWire = recordWire.clone();
    stepProof = stepProof.stream().map(byte[]::clone).toList();
    salt = salt.clone();
  }
}
