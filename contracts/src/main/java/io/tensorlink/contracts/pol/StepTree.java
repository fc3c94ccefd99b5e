package io.tensorlink.contracts.pol;

import io.tensorlink.contracts.generated.DisputeCourt.StepRecord;
import io.tensorlink.contracts.merkle.MerkleTree;
import java.util.List;

/**
 * The step records of one PoL block: a Merkle tree of record hashes (EIP-712) whose root is the
 * header's {@code stepsRoot}, and the proofs a challenger passes to {@code DisputeCourt.challenge}.
 */
public final class StepTree {
  private final MerkleTree tree;

  private StepTree(final MerkleTree tree) {
    this.tree = tree;
  }

  public static StepTree of(final List<StepRecord> records) {
    return new StepTree(MerkleTree.of(records.stream().map(StepRecords::hash).toList()));
  }

  public byte[] root() {
    return tree.root();
  }

  public List<byte[]> proof(final StepRecord record) {
    return tree.proof(StepRecords.hash(record));
  }
}
