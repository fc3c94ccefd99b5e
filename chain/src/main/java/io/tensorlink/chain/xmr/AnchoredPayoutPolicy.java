package io.tensorlink.chain.xmr;

import io.tensorlink.contracts.ContractSuite;
import io.tensorlink.contracts.deploy.ChainInfo;
import io.tensorlink.contracts.pol.PayoutTree;
import io.tensorlink.monero.escrow.EscrowException;
import io.tensorlink.monero.escrow.EscrowTerms;
import io.tensorlink.monero.escrow.PayoutPolicy;
import io.tensorlink.monero.escrow.ReleasePlan;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.protocol.Web3j;

/**
 * A node's release decision for one XMR escrow, from the job's anchored PoL blocks. The worker is paid
 * the sum of its leaves in the {@code payoutsRoot} of every block anchored for the job, converted to
 * piconero by the job's {@link Rate}, and only once all of them are final: each block's challenge window has passed
 * ({@code JobEscrow.claimableAt} ≤ chain time). A worker with a payout voided by a dispute is slashed
 * and gets nothing. The leaves come from the node's own copy of each block ({@link BlockPayouts}) and
 * must hash to the root on chain: a node whose copy is missing or differs decides nothing, so it
 * neither signs nor builds a payout.
 */
public final class AnchoredPayoutPolicy implements PayoutPolicy {
  private static final Logger LOG = LoggerFactory.getLogger(AnchoredPayoutPolicy.class);

  /** The payout leaves of anchored block {@code index} of a job, as this node received them with the block. */
  @FunctionalInterface
  public interface BlockPayouts {
    Optional<Map<String, BigInteger>> leaves(BigInteger jobId, long index);
  }

  /**
   * How an XMR job's payout leaves map to piconero. The leaves are TL wei: the job's TL price per step
   * times the worker's share of the block's steps, less the validator and protocol fees, exactly as for a
   * TL job. The worker's XMR pay is that amount scaled by the XMR price over the TL price,
   * {@code floor(leaves × piconeroPerStep / tlPerStep)}: the same share of the same steps at the XMR
   * price, with the same fee deductions. The fees themselves stay in TL on chain.
   *
   * @param tlPerStep the job's on-chain price per step, wei
   * @param piconeroPerStep the escrow's price per step ({@link EscrowTerms#pricePerStep()})
   */
  public record Rate(BigInteger tlPerStep, long piconeroPerStep) {
    public Rate {
      if (tlPerStep.signum() <= 0 || piconeroPerStep <= 0) {
        throw new IllegalArgumentException("an XMR rate needs positive TL and XMR prices per step, got " + tlPerStep
            + " wei and " + piconeroPerStep + " piconero");
      }
    }

    public BigInteger piconero(final BigInteger wei) {
      return wei.multiply(BigInteger.valueOf(piconeroPerStep)).divide(tlPerStep);
    }
  }

  private final Web3j web3j;
  private final ContractSuite chain;
  private final BlockPayouts payouts;
  private final BigInteger jobId;
  private final String worker;
  private final Rate rate;

  public AnchoredPayoutPolicy(final Web3j web3j, final ContractSuite chain, final BlockPayouts payouts,
      final BigInteger jobId, final String workerAccount, final Rate rate) {
    this.web3j = web3j;
    this.chain = chain;
    this.payouts = payouts;
    this.jobId = jobId;
    this.worker = workerAccount.toLowerCase(Locale.ROOT);
    this.rate = rate;
  }

  /** The evidence: the worker's anchored total (TL wei) and whether it was slashed; empty until all of it is final. */
  public record Evidence(BigInteger amount, boolean slashed, long blocks) {}

  @Override
  public Optional<ReleasePlan> releasePlan(final EscrowTerms terms) {
    return evidence().map(e -> ReleasePlan.forVerifiedAmount(terms, rate.piconero(e.amount()), e.slashed()));
  }

  /** Reads the job's anchored blocks from the chain and checks this node's leaves against them. */
  public Optional<Evidence> evidence() {
    try {
      final long anchored = chain.anchor().head(jobId).send().component2().longValueExact();
      if (anchored == 0) {
        LOG.debug("job {}: no anchored block yet", jobId);
        return Optional.empty();
      }
      final BigInteger now = ChainInfo.latestBlock(web3j).getTimestamp();
      BigInteger total = BigInteger.ZERO;
      boolean slashed = false;
      for (long i = 0; i < anchored; i++) {
        final BigInteger index = BigInteger.valueOf(i);
        final BigInteger claimableAt = chain.escrow().claimableAt(jobId, index).send();
        if (claimableAt.signum() == 0 || now.compareTo(claimableAt) < 0) {
          LOG.debug("job {} block {}: challenge window open until {}", jobId, i, claimableAt);
          return Optional.empty();
        }
        final Optional<Map<String, BigInteger>> leaves = payouts.leaves(jobId, i);
        if (leaves.isEmpty()) {
          LOG.info("job {} block {}: this node lacks the block's payout leaves; no XMR decision", jobId, i);
          return Optional.empty();
        }
        final byte[] root = chain.escrow().payoutsRoot(jobId, index).send();
        if (!Arrays.equals(PayoutTree.of(leaves.get()).root(), root)) {
          LOG.warn("job {} block {}: this node's payout leaves do not hash to the anchored payoutsRoot; no XMR decision",
              jobId, i);
          return Optional.empty();
        }
        total = total.add(leaves.get().entrySet().stream().filter(e -> e.getKey().toLowerCase(Locale.ROOT).equals(worker))
            .map(Map.Entry::getValue).reduce(BigInteger.ZERO, BigInteger::add));
        slashed |= chain.escrow().isVoided(jobId, index, worker).send();
      }
      return Optional.of(new Evidence(total, slashed, anchored));
    } catch (final Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      // Retryable: the co-signer answers "not now", the builder keeps its proposal.
      throw new EscrowException(EscrowException.Reason.UNAVAILABLE, "cannot read the anchored blocks of job " + jobId
          + " from the chain: " + e.getMessage(), e);
    }
  }
}
