package io.tensorlink.chain.validator.dispute;

import java.util.List;

/** A signed record's wire form and its leaf's Merkle proof in the anchored block's stepsRoot. */
public record RecordProof(byte[] wire, List<byte[]> proof) {
  public RecordProof {
    wire = wire.clone();
    proof = proof.stream().map(byte[]::clone).toList();
  }

  @Override
  public byte[] wire() {
    return wire.clone();
  }
}
