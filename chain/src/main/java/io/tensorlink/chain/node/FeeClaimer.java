package io.tensorlink.chain.node;

import io.prometheus.metrics.core.metrics.Counter;
import io.tensorlink.chain.store.BlockKey;
import io.tensorlink.chain.store.JobKey;
import io.tensorlink.chain.store.NodeStore;
import io.tensorlink.chain.store.StoredEntry;
import io.tensorlink.chain.validator.BlockEntry;
import io.tensorlink.chain.validator.JobState;
import io.tensorlink.chain.validator.suite.AnchoredHeaders;
import io.tensorlink.contracts.ContractSuite;
import io.tensorlink.contracts.generated.JobEscrow;
import io.tensorlink.contracts.generated.PoLAnchor;
import java.math.BigInteger;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/**
 * A validator's fees, claimed without being asked: for every block of the jobs this node follows
 * that is anchored with its signature, once the block's challenge window has passed and no dispute
 * or data request holds its fees ({@code DisputeCourt.feesHeld}), {@code JobEscrow.claimFee} with
 * the header and signer list the anchor's event carries. Blocks it did not sign or whose fee it
 * claimed are settled and not looked at again. A fee the court voided (a proven fraud this
 * validator's sample held: it signed without checking) makes the claim revert, which is logged and
 * retried like any failure.
 *
 * <p>One thread calls {@link #tick}.
 */
final class FeeClaimer {
  private static final Logger LOG = LoggerFactory.getLogger(FeeClaimer.class);

  private final NodeStore store;
  private final ContractSuite suite;
  private final AnchoredHeaders headers;
  private final LongSupplier now;
  private final Counter claimed;
  private final Counter claimedWei;
  private final Set<BlockKey> settled = new HashSet<>();

  /** @param now the chain's time (seconds), what the escrow's claimableAt is compared with */
  FeeClaimer(final NodeStore store, final ContractSuite suite, final AnchoredHeaders headers, final LongSupplier now,
      final NodeMetrics metrics) {
    this.store = store;
    this.suite = suite;
    this.headers = headers;
    this.now = now;
    this.claimed = metrics.counter("tl_validator_fees_claimed_total", "Block fees this validator claimed");
    this.claimedWei = metrics.counter("tl_validator_fee_wei_total", "TL (wei) this validator claimed in fees");
  }

  /** Claims whatever is due; a failure is logged and retried on the next call. */
  void tick() {
    for (final StoredEntry<JobKey> job : store.jobs()) {
      final BigInteger jobId = JobState.decode(job.value()).jobId();
      for (final StoredEntry<BlockKey> b : store.blocks(jobId)) {
        final BlockEntry block = BlockEntry.decode(b.value());
        if (block.status() != BlockEntry.Status.ANCHORED || settled.contains(b.key())) {
          continue;
        }
        try {
          if (!claimDue(b.key(), block.blockHash())) {
            break; // later blocks close later
          }
        } catch (Exception e) {
          LOG.warn("job {}: claiming the validator fee of block {} failed, retrying: {}", jobId, b.key().index(),
              e.toString());
          break;
        }
      }
    }
  }

  /** @return false while the block's fees cannot be claimed yet */
  private boolean claimDue(final BlockKey key, final byte[] blockHash) throws Exception {
    final BigInteger index = BigInteger.valueOf(key.index());
    if (suite.escrow().claimableAt(key.jobId(), index).send().longValueExact() > now.getAsLong()
        || suite.court().feesHeld(key.jobId(), index).send()) {
      return false;
    }
    final Optional<AnchoredHeaders.Anchored> anchored = headers.find(key, blockHash, 0);
    if (anchored.isEmpty()) {
      return false; // the anchoring event is not visible yet
    }
    final List<String> signers = anchored.get().signers();
    final int position = signers.stream().map(s -> s.toLowerCase(Locale.ROOT)).toList()
        .indexOf(suite.account().toLowerCase(Locale.ROOT));
    if (position < 0 || suite.escrow().isFeeClaimed(key.jobId(), index, suite.account()).send()) {
      settled.add(key);
      return true;
    }
    final PoLAnchor.PoLBlock h = anchored.get().header();
    final TransactionReceipt r = suite.escrow().claimFee(new JobEscrow.PoLBlock(h.jobId, h.index, h.parent, h.stepFrom,
        h.stepTo, h.stepsRoot, h.payoutsRoot, h.checkpointRoot, h.randomness, h.randomnessBlock), signers,
        BigInteger.valueOf(position)).send();
    final BigInteger fee = suite.escrow().getFeeClaimedEvents(r).stream().map(e -> e.amount).findFirst()
        .orElse(BigInteger.ZERO);
    claimed.inc();
    claimedWei.inc(fee.doubleValue());
    settled.add(key);
    LOG.info("job {}: claimed a validator fee of {} wei from block {}", key.jobId(), fee, key.index());
    return true;
  }
}
