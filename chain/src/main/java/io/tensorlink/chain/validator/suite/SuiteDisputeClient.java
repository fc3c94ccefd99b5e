package io.tensorlink.chain.validator.suite;

import io.tensorlink.chain.follow.SuiteChainEvents;
import io.tensorlink.chain.pol.EthAddress;
import io.tensorlink.chain.pol.SignedStepRecord;
import io.tensorlink.chain.validator.DisputeClient;
import io.tensorlink.chain.validator.dispute.ChallengeEvidence;
import io.tensorlink.chain.validator.dispute.CourtRejectedException;
import io.tensorlink.chain.validator.dispute.DataRequestView;
import io.tensorlink.chain.validator.dispute.DisputeStatus;
import io.tensorlink.chain.validator.dispute.DisputeView;
import io.tensorlink.contracts.ContractSuite;
import io.tensorlink.contracts.deploy.ChainInfo;
import io.tensorlink.contracts.generated.DisputeCourt;
import io.tensorlink.contracts.pol.PoLBlocks;
import io.tensorlink.contracts.revert.ContractRevertException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.web3j.abi.EventEncoder;
import org.web3j.abi.TypeEncoder;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.generated.Bytes32;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.abi.datatypes.generated.Uint64;
import org.web3j.crypto.Hash;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.DefaultBlockParameterNumber;
import org.web3j.protocol.core.RemoteCall;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.response.EthBlock;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.utils.Numeric;

/**
 * {@link DisputeClient} on the v2 {@code DisputeCourt} through the contracts' Java API, as one
 * account. Every transaction is simulated before it is sent ({@code SuiteTransactionManager}), so
 * a refusal usually costs no gas; either way it becomes a {@link CourtRejectedException} naming
 * the court's custom error and its arguments. The challenge's header and signer list are read back
 * from the anchoring transaction's events; the payout leaf is not passed (amount 0: the court then
 * voids the worker's payout on a fraud verdict without refunding it at once, and {@code sweep}
 * returns it to the client later).
 */
public final class SuiteDisputeClient implements DisputeClient {
  private static final BigInteger UINT256_MAX = BigInteger.TWO.pow(256).subtract(BigInteger.ONE);
  private static final String DISPUTE_OPENED = EventEncoder.encode(DisputeCourt.DISPUTEOPENED_EVENT);
  /** DataRequest.status: None, Open, Answered, Failed. */
  private static final int REQUEST_OPEN = 1;

  private final ContractSuite suite;
  private final Web3j web3j;
  private final DisputeCourt court;
  private final AnchoredHeaders headers;
  private final String account;

  public SuiteDisputeClient(final ContractSuite suite, final Web3j web3j) {
    this.suite = suite;
    this.web3j = web3j;
    this.court = suite.court();
    this.headers = new AnchoredHeaders(web3j, suite.anchor().getContractAddress(), suite.deployment().startBlock());
    this.account = EthAddress.lower(suite.account());
  }

  @Override
  public String account() {
    return account;
  }

  @Override
  public long head() {
    return SuiteChainEvents.head(web3j);
  }

  @Override
  public byte[] commitment(final BigInteger jobId, final long blockIndex, final byte[] recordHash, final byte[] salt) {
    final String encoded = TypeEncoder.encode(new Address(account)) + TypeEncoder.encode(new Uint256(jobId))
        + TypeEncoder.encode(new Uint64(blockIndex)) + TypeEncoder.encode(new Bytes32(recordHash))
        + TypeEncoder.encode(new Bytes32(salt));
    return Hash.sha3(Numeric.hexStringToByteArray(encoded));
  }

  @Override
  public long commitmentBlock(final byte[] commitment) {
    final BigInteger at = call("commitmentBlock", court.commitmentBlock(commitment));
    return at.equals(UINT256_MAX) ? USED : at.longValueExact();
  }

  @Override
  public void commit(final byte[] commitment) {
    call("commitChallenge", court.commitChallenge(commitment));
  }

  @Override
  public BigInteger challenge(final ChallengeEvidence e) {
    final AnchoredHeaders.Anchored anchored = headers.find(e.block(), e.blockHash(), e.anchoredIn())
        .orElseThrow(() -> new IllegalStateException("block " + e.block().index() + " of job " + e.block().jobId() + " ("
            + Numeric.toHexString(e.blockHash()) + ") has no anchoring events in chain block " + e.anchoredIn()));
    final SignedStepRecord signed = CourtRecords.decode(e.recordWire());
    final DisputeCourt.Evidence evidence = new DisputeCourt.Evidence(PoLBlocks.forCourt(anchored.header()), anchored.signers(),
        CourtRecords.forCourt(signed.record()), signed.signature().value().toArray(), e.stepProof(), BigInteger.ZERO, List.of(),
        e.salt());
    approveBond();
    final TransactionReceipt receipt = call("challenge", court.challenge(evidence));
    return DisputeCourt.getDisputeOpenedEvents(receipt).get(0).disputeId;
  }

  /** The court pulls the bond from this account at the reveal: allow it (once; an allowance left over is reused). */
  private void approveBond() {
    final BigInteger bond = call("params", court.params()).challengeBond;
    final String courtAddress = court.getContractAddress();
    if (call("allowance", suite.token().allowance(suite.account(), courtAddress)).compareTo(bond) < 0) {
      call("approve", suite.token().approve(courtAddress, bond));
    }
  }

  @Override
  public Optional<BigInteger> findDispute(final BigInteger jobId, final long blockIndex, final byte[] recordHash,
      final Optional<String> challenger, final long fromBlock) {
    final EthFilter filter = new EthFilter(new DefaultBlockParameterNumber(Math.max(fromBlock, suite.deployment().startBlock())),
        DefaultBlockParameterName.LATEST, court.getContractAddress());
    filter.addSingleTopic(DISPUTE_OPENED);
    filter.addNullTopic();
    filter.addSingleTopic(Numeric.toHexStringWithPrefixZeroPadded(jobId, 64));
    filter.addSingleTopic(Numeric.toHexStringWithPrefixZeroPadded(BigInteger.valueOf(blockIndex), 64));
    final EthLog answer;
    try {
      answer = web3j.ethGetLogs(filter).send();
    } catch (IOException e) {
      throw new UncheckedIOException("eth_getLogs for DisputeOpened failed", e);
    }
    if (answer.hasError()) {
      throw new IllegalStateException("eth_getLogs: " + answer.getError().getMessage());
    }
    Optional<BigInteger> latest = Optional.empty();
    for (final EthLog.LogResult<?> result : answer.getLogs()) {
      final DisputeCourt.DisputeOpenedEventResponse o = DisputeCourt.getDisputeOpenedEventFromLog((Log) result.get());
      if (Arrays.equals(o.recordHash, recordHash)
          && challenger.map(EthAddress::lower).map(c -> c.equals(EthAddress.lower(o.challenger))).orElse(true)) {
        latest = Optional.of(o.disputeId); // logs come in chain order
      }
    }
    return latest;
  }

  @Override
  public DisputeView dispute(final BigInteger disputeId) {
    final DisputeCourt.Dispute d = call("getDispute", court.getDispute(disputeId));
    final List<String> committee = new ArrayList<>();
    for (final Object member : call("committee", court.committee(disputeId))) {
      committee.add(EthAddress.lower(member.toString()));
    }
    final EthBlock.Block latest = ChainInfo.latestBlock(web3j);
    return new DisputeView(disputeId, DisputeStatus.of(d.status.intValueExact()), EthAddress.lower(d.challenger),
        d.drawBlock.longValueExact(), d.votingEndsAt.longValueExact(), committee, d.voteMask.longValue(),
        d.fraudVotes.intValueExact(), d.validVotes.intValueExact(), latest.getNumber().longValueExact(),
        latest.getTimestamp().longValueExact());
  }

  @Override
  public void draw(final BigInteger disputeId) {
    call("draw", court.draw(disputeId));
  }

  @Override
  public void vote(final BigInteger disputeId, final boolean fraud) {
    call("vote", court.vote(disputeId, fraud));
  }

  @Override
  public void resolve(final BigInteger disputeId) {
    call("resolve", court.resolve(disputeId));
  }

  @Override
  public Optional<DataRequestView> dataRequest(final BigInteger requestId) {
    final DisputeCourt.DataRequest r = call("getDataRequest", court.getDataRequest(requestId));
    if (r.status.signum() == 0) {
      return Optional.empty();
    }
    return Optional.of(new DataRequestView(requestId, r.jobId, r.blockIndex.longValueExact(), r.status.intValueExact() == REQUEST_OPEN,
        r.deadline.longValueExact(), ChainInfo.latestBlock(web3j).getTimestamp().longValueExact()));
  }

  @Override
  public void provideData(final BigInteger requestId, final byte[] recordWire, final List<byte[]> proof) {
    final SignedStepRecord signed = CourtRecords.decode(recordWire);
    call("provideData", court.provideData(requestId, CourtRecords.forCourt(signed.record()), signed.signature().value().toArray(),
        proof));
  }

  /** Runs a view or transaction; a revert becomes a {@link CourtRejectedException} naming the court's error. */
  private static <T> T call(final String action, final RemoteCall<T> call) {
    try {
      return call.send();
    } catch (ContractRevertException e) {
      throw new CourtRejectedException(e.revert().name(), "DisputeCourt " + action + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(action + " failed: " + e.getMessage(), e);
    }
  }
}
