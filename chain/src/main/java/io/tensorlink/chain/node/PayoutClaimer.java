package io.tensorlink.chain.node;

import io.prometheus.metrics.core.metrics.Counter;
import io.tensorlink.chain.pol.Assignment;
import io.tensorlink.contracts.ContractSuite;
import io.tensorlink.contracts.pol.PayoutTree;
import java.math.BigInteger;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker's payouts, claimed without being asked: for every anchored block of a job it trains,
 * once the block's challenge window has passed ({@code JobEscrow.claimableAt}) and no dispute over
 * its records is open, it rebuilds the block's payout leaves and claims its own with the Merkle
 * proof. The leaves are what the validators' {@code BlockRecords.payoutsRoot} builds over a complete
 * block: each assigned worker holds one cell and signs one record per step, so each gets the block's
 * pool divided by the number of cells (rounded down). The rebuilt tree must hash to the anchored
 * {@code payoutsRoot}; a block where it does not (a worker replaced mid-block) is logged and left to
 * {@code tl-cli claim}. A voided payout (the worker was found cheating) is skipped.
 */
final class PayoutClaimer {
  private static final Logger LOG = LoggerFactory.getLogger(PayoutClaimer.class);

  private final ContractSuite suite;
  private final LongSupplier now;
  private final Counter claimed;
  private final Counter claimedWei;
  private final AssignmentPayouts payouts;
  /** Blocks settled for this worker (claimed, voided or not its to claim), per job. */
  private final Map<BigInteger, Set<Long>> settled = new ConcurrentHashMap<>();

  PayoutClaimer(final ContractSuite suite, final LongSupplier now, final NodeMetrics metrics) {
    this.suite = suite;
    this.now = now;
    this.payouts = new AssignmentPayouts(suite);
    this.claimed = metrics.counter("tl_worker_payouts_claimed_total", "Block payouts this worker claimed");
    this.claimedWei = metrics.counter("tl_worker_payout_wei_total", "TL (wei) this worker claimed from the escrow");
  }

  /**
   * Starts following {@code assignment}'s job, or adds an effective assignment after a takeover: a
   * block's payouts are split over the cells' workers of the assignment it was trained under, so
   * each block is claimed by the followed assignment whose split matches its payoutsRoot.
   */
  void follow(final Assignment assignment) {
    payouts.follow(assignment);
  }

  /** Claims whatever is due; each failure is logged and retried on the next call. */
  void tick() {
    for (final BigInteger jobId : payouts.jobs()) {
      try {
        claimDue(jobId);
      } catch (Exception e) {
        LOG.warn("job {}: claiming payouts failed, retrying: {}", jobId, e.toString());
      }
    }
  }

  private void claimDue(final BigInteger jobId) throws Exception {
    final String me = suite.account();
    final long anchored = suite.anchor().head(jobId).send().component2().longValueExact();
    final Set<Long> done = settled.computeIfAbsent(jobId, k -> new HashSet<>());
    for (long i = 0; i < anchored; i++) {
      if (done.contains(i)) {
        continue;
      }
      final BigInteger idx = BigInteger.valueOf(i);
      if (suite.escrow().claimableAt(jobId, idx).send().longValueExact() > now.getAsLong()) {
        return; // later blocks close later
      }
      if (suite.court().hasOpenDispute(jobId, idx, me).send()) {
        continue;
      }
      if (suite.escrow().isClaimed(jobId, idx, me).send() || suite.escrow().isVoided(jobId, idx, me).send()) {
        LOG.info("job {}: block {} payout {}", jobId, i, suite.escrow().isVoided(jobId, idx, me).send()
            ? "voided by a fraud verdict" : "already claimed");
        done.add(i);
        continue;
      }
      final Optional<Map<String, BigInteger>> leaves = payouts.leaves(jobId, i);
      if (leaves.isEmpty()) {
        LOG.warn("job {}: block {}'s payoutsRoot is not one share per assigned cell; claim it with tl-cli claim", jobId, i);
        done.add(i);
        continue;
      }
      final Optional<BigInteger> mine = leaves.get().entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(me))
          .map(Map.Entry::getValue).findFirst();
      if (mine.isEmpty()) {
        done.add(i); // trained before this standby took over a cell: nothing of it is this worker's
        continue;
      }
      final PayoutTree tree = PayoutTree.of(leaves.get());
      final BigInteger amount = mine.get();
      suite.escrow().claim(jobId, idx, amount, tree.proof(me)).send();
      claimed.inc();
      claimedWei.inc(amount.doubleValue());
      done.add(i);
      LOG.info("job {}: claimed {} wei from block {}", jobId, amount, i);
    }
  }
}
