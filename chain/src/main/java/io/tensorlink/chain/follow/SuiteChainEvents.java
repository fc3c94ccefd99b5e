package io.tensorlink.chain.follow;

import io.tensorlink.contracts.SuiteContract;
import io.tensorlink.contracts.deploy.Deployment;
import io.tensorlink.contracts.generated.DisputeCourt;
import io.tensorlink.contracts.generated.JobEscrow;
import io.tensorlink.contracts.generated.PoLAnchor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.web3j.abi.EventEncoder;
import org.web3j.abi.datatypes.Event;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.DefaultBlockParameterNumber;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.response.EthBlock;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.utils.Numeric;

/**
 * {@link ChainEvents} over JSON-RPC: one {@code eth_getLogs} per window for the escrow, anchor and
 * court addresses and the topics the validator acts on, decoded with the generated bindings
 * (contracts v2).
 */
public final class SuiteChainEvents implements ChainEvents {
  private final Web3j web3j;
  private final List<String> addresses;
  // Immutable: event topic -> decoder, the same for every deployment.
  private static final Map<String, Function<Log, ChainEvent>> DECODERS = Map.of(
        topic(JobEscrow.JOBCREATED_EVENT), SuiteChainEvents::jobCreated,
        topic(JobEscrow.JOBASSIGNED_EVENT), SuiteChainEvents::jobAssigned,
        topic(JobEscrow.JOBCOMPLETED_EVENT), log -> finished(log, JobEscrow.getJobCompletedEventFromLog(log).jobId),
        topic(JobEscrow.JOBCANCELLED_EVENT), log -> finished(log, JobEscrow.getJobCancelledEventFromLog(log).jobId),
        topic(JobEscrow.JOBREFUNDED_EVENT), log -> finished(log, JobEscrow.getJobRefundedEventFromLog(log).jobId),
        topic(PoLAnchor.BLOCKANCHORED_EVENT), SuiteChainEvents::blockAnchored,
        topic(DisputeCourt.DISPUTEOPENED_EVENT), SuiteChainEvents::disputeOpened,
        topic(DisputeCourt.COMMITTEEDRAWN_EVENT), SuiteChainEvents::committeeDrawn,
        topic(DisputeCourt.DATAREQUESTED_EVENT), SuiteChainEvents::dataRequested);

  public SuiteChainEvents(final Web3j web3j, final Deployment deployment) {
    this.web3j = web3j;
    this.addresses = addresses(deployment);
  }

  /** The contracts whose logs the validator acts on: escrow, anchor, court. */
  public static List<String> addresses(final Deployment deployment) {
    return List.of(deployment.address(SuiteContract.JOB_ESCROW), deployment.address(SuiteContract.POL_ANCHOR),
        deployment.address(SuiteContract.DISPUTE_COURT));
  }

  /**
   * One log of those contracts as the event the validator acts on, or empty for other events (a
   * seam for readers that get logs elsewhere than {@code eth_getLogs}: the Besu plugin).
   */
  public static Optional<ChainEvent> decode(final Log log) {
    if (log.getTopics().isEmpty()) {
      return Optional.empty();
    }
    return Optional.ofNullable(DECODERS.get(log.getTopics().get(0))).map(d -> d.apply(log));
  }

  @Override
  public long head() {
    return head(web3j);
  }

  /** The chain's latest block number ({@code eth_blockNumber}). */
  public static long head(final Web3j web3j) {
    try {
      return web3j.ethBlockNumber().send().getBlockNumber().longValueExact();
    } catch (IOException e) {
      throw new UncheckedIOException("eth_blockNumber failed", e);
    }
  }

  @Override
  public Optional<byte[]> blockHash(final long number) {
    try {
      final EthBlock.Block block = web3j.ethGetBlockByNumber(new DefaultBlockParameterNumber(number), false).send().getBlock();
      return Optional.ofNullable(block).map(b -> Numeric.hexStringToByteArray(b.getHash()));
    } catch (IOException e) {
      throw new UncheckedIOException("eth_getBlockByNumber " + number + " failed", e);
    }
  }

  @Override
  public List<ChainEvent> events(final long from, final long to) {
    final EthFilter filter = new EthFilter(block(from), block(to), addresses);
    filter.addOptionalTopics(DECODERS.keySet().toArray(String[]::new));
    final EthLog answer;
    try {
      answer = web3j.ethGetLogs(filter).send();
    } catch (IOException e) {
      throw new UncheckedIOException("eth_getLogs " + from + ".." + to + " failed", e);
    }
    if (answer.hasError()) {
      throw new IllegalStateException("eth_getLogs " + from + ".." + to + ": " + answer.getError().getMessage());
    }
    final List<ChainEvent> out = new ArrayList<>();
    for (final EthLog.LogResult<?> result : answer.getLogs()) {
      final Log log = (Log) result.get();
      if (!log.isRemoved()) {
        decode(log).ifPresent(out::add);
      }
    }
    return out;
  }

  private static DefaultBlockParameter block(final long n) {
    return new DefaultBlockParameterNumber(n);
  }

  private static String topic(final Event event) {
    return EventEncoder.encode(event);
  }

  private static long number(final Log log) {
    return log.getBlockNumber().longValueExact();
  }

  private static ChainEvent jobCreated(final Log log) {
    final JobEscrow.JobCreatedEventResponse e = JobEscrow.getJobCreatedEventFromLog(log);
    return new ChainEvent.JobCreated(number(log), e.jobId, e.client, e.specHash);
  }

  private static ChainEvent jobAssigned(final Log log) {
    final JobEscrow.JobAssignedEventResponse e = JobEscrow.getJobAssignedEventFromLog(log);
    return new ChainEvent.JobAssigned(number(log), e.jobId, e.assignmentHash, List.copyOf(e.workers));
  }

  private static ChainEvent finished(final Log log, final java.math.BigInteger jobId) {
    return new ChainEvent.JobFinished(number(log), jobId);
  }

  private static ChainEvent blockAnchored(final Log log) {
    final PoLAnchor.BlockAnchoredEventResponse e = PoLAnchor.getBlockAnchoredEventFromLog(log);
    return new ChainEvent.BlockAnchored(number(log), e.jobId, e.index.longValueExact(), e.blockHash, e.stepFrom.longValueExact(),
        e.stepTo.longValueExact(), e.checkpointRoot, List.copyOf(e.signers));
  }

  private static ChainEvent disputeOpened(final Log log) {
    final DisputeCourt.DisputeOpenedEventResponse e = DisputeCourt.getDisputeOpenedEventFromLog(log);
    return new ChainEvent.DisputeOpened(number(log), e.disputeId, e.jobId, e.blockIndex.longValueExact(), e.worker,
        e.step.longValueExact(), e.drawBlock.longValueExact());
  }

  private static ChainEvent committeeDrawn(final Log log) {
    final DisputeCourt.CommitteeDrawnEventResponse e = DisputeCourt.getCommitteeDrawnEventFromLog(log);
    return new ChainEvent.CommitteeDrawn(number(log), e.disputeId, List.copyOf(e.committee));
  }

  private static ChainEvent dataRequested(final Log log) {
    final DisputeCourt.DataRequestedEventResponse e = DisputeCourt.getDataRequestedEventFromLog(log);
    return new ChainEvent.DataRequested(number(log), e.requestId, e.jobId, e.blockIndex.longValueExact(), e.step.longValueExact(),
        e.stage.intValueExact(), e.replica.intValueExact());
  }
}
