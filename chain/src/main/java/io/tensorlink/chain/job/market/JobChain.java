package io.tensorlink.chain.job.market;

import io.tensorlink.chain.pol.Assignment;
import io.tensorlink.chain.pol.EthAddress;
import io.tensorlink.contracts.ContractSuite;
import io.tensorlink.contracts.deploy.ChainInfo;
import io.tensorlink.contracts.generated.JobEscrow;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.tuweni.bytes.Bytes32;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.methods.response.EthBlock;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.utils.Numeric;

/**
 * The market's view of the chain, through the contracts' Java API: a job as the escrow stores it,
 * worker stakes, the chain's clock, the randomness block of a bid window, and the client's
 * {@code JobEscrow.assign}.
 */
public final class JobChain {
  private final Web3j web3j;
  private final ContractSuite suite;

  public JobChain(final Web3j web3j, final ContractSuite suite) {
    this.web3j = web3j;
    this.suite = suite;
  }

  /** The job, or empty when the escrow has none with this id. */
  public Optional<OnChainJob> job(final BigInteger jobId) {
    final JobEscrow.Job j = call(suite.escrow().getJob(jobId)::send, "getJob(" + jobId + ")");
    if (j.status.signum() == 0) {
      return Optional.empty();
    }
    return Optional.of(new OnChainJob(jobId, EthAddress.of(j.client), j.status.intValueExact(),
        j.deadline.longValueExact(), j.pricePerStep, j.budget, j.verifyRatePpm.intValueExact(),
        j.verifyMode.intValueExact(), j.tolerancePpmL2.intValueExact(), Bytes32.wrap(j.specHash),
        Bytes32.wrap(j.paramsHash), Bytes32.wrap(j.assignmentHash)));
  }

  public BigInteger minWorkerStake() {
    return call(suite.stakeManager().params()::send, "StakeManager.params()").minWorkerStake;
  }

  public BigInteger stakeOf(final EthAddress worker) {
    return call(suite.stakeManager().stakeOf(worker.toString())::send, "stakeOf(" + worker + ")");
  }

  /** The latest block's timestamp. */
  public long now() {
    return ChainInfo.latestBlock(web3j).getTimestamp().longValueExact();
  }

  /**
   * The randomness of a bid window ending at {@code windowEnd}: the hash of the first block whose
   * timestamp is at least {@code windowEnd}, found by bisection over block numbers (timestamps never
   * decrease), so every node names the same block. Empty until such a block exists.
   */
  public Optional<Bytes32> windowRandomness(final long windowEnd) {
    final EthBlock.Block latest = ChainInfo.latestBlock(web3j);
    if (latest.getTimestamp().longValueExact() < windowEnd) {
      return Optional.empty();
    }
    long lo = 0;
    long hi = latest.getNumber().longValueExact();
    while (lo < hi) {
      final long mid = (lo + hi) >>> 1;
      if (block(mid).getTimestamp().longValueExact() >= windowEnd) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    return Optional.of(Bytes32.wrap(Numeric.hexStringToByteArray(block(lo).getHash())));
  }

  /**
   * Records {@code assignment} as the job's client: every cell's worker, then the standbys (assigned
   * too, so a standby that takes over a cell can be paid), and the assignment's hash.
   */
  public TransactionReceipt assign(final Assignment assignment) {
    final List<String> all = new ArrayList<>();
    assignment.workers().forEach(w -> all.add(w.toString()));
    assignment.standbys().forEach(w -> all.add(w.toString()));
    return call(suite.escrow().assign(assignment.jobId(), all, assignment.hash().toArrayUnsafe())::send,
        "assign(" + assignment.jobId() + ")");
  }

  /** The account this view sends from. */
  public EthAddress account() {
    return EthAddress.of(suite.account());
  }

  private EthBlock.Block block(final long number) {
    try {
      return web3j.ethGetBlockByNumber(DefaultBlockParameter.valueOf(BigInteger.valueOf(number)), false).send().getBlock();
    } catch (IOException e) {
      throw new UncheckedIOException("reading block " + number + ": " + e.getMessage(), e);
    }
  }

  /** A chain call or transaction. */
  @FunctionalInterface
  private interface Call<T> {
    T send() throws Exception;
  }

  private static <T> T call(final Call<T> call, final String what) {
    try {
      return call.send();
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(what + " failed: " + e.getMessage(), e);
    }
  }
}
