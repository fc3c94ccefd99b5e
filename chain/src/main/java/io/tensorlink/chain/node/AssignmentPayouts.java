package io.tensorlink.chain.node;

import io.tensorlink.chain.pol.Assignment;
import io.tensorlink.chain.xmr.AnchoredPayoutPolicy;
import io.tensorlink.contracts.ContractSuite;
import io.tensorlink.contracts.pol.PayoutTree;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A node's copy of each anchored block's payout leaves, rebuilt as {@link PayoutClaimer} does: one
 * share of the block's pool per cell of an assignment the node followed (the first, and each
 * effective one after a takeover), the one whose tree hashes to the anchored {@code payoutsRoot}.
 * A block no followed assignment explains (split another way) has no leaves here, so the XMR
 * settlement decides nothing on it.
 */
final class AssignmentPayouts implements AnchoredPayoutPolicy.BlockPayouts {
  private final ContractSuite suite;
  private final Map<BigInteger, List<Assignment>> jobs = new ConcurrentHashMap<>();

  AssignmentPayouts(final ContractSuite suite) {
    this.suite = suite;
  }

  void follow(final Assignment assignment) {
    jobs.compute(assignment.jobId(), (id, known) -> {
      final List<Assignment> all = known == null ? new ArrayList<>() : new ArrayList<>(known);
      if (!all.contains(assignment)) {
        all.add(assignment);
      }
      return List.copyOf(all);
    });
  }

  /** The jobs followed. */
  Set<BigInteger> jobs() {
    return Set.copyOf(jobs.keySet());
  }

  @Override
  public Optional<Map<String, BigInteger>> leaves(final BigInteger jobId, final long index) {
    final List<Assignment> assignments = jobs.getOrDefault(jobId, List.of());
    if (assignments.isEmpty()) {
      return Optional.empty();
    }
    final BigInteger idx = BigInteger.valueOf(index);
    final BigInteger pool;
    final byte[] root;
    try {
      pool = suite.escrow().blockPayout(jobId, idx).send().component1();
      root = suite.escrow().payoutsRoot(jobId, idx).send();
    } catch (Exception e) {
      throw new IllegalStateException("cannot read block " + index + " of job " + jobId + " from the escrow: "
          + e.getMessage(), e);
    }
    return assignments.stream().map(a -> shares(a, pool))
        .filter(shares -> Arrays.equals(PayoutTree.of(shares).root(), root)).findFirst();
  }

  /** The payout leaves of a complete block of {@code pool}: one share per cell of the assignment (BlockRecords' split). */
  static Map<String, BigInteger> shares(final Assignment assignment, final BigInteger pool) {
    final BigInteger cells = BigInteger.valueOf((long) assignment.stages() * assignment.replicas());
    final BigInteger share = pool.divide(cells);
    final Map<String, BigInteger> amounts = new LinkedHashMap<>();
    assignment.workers().forEach(w -> amounts.merge(w.toString(), share, BigInteger::add));
    return amounts;
  }
}
