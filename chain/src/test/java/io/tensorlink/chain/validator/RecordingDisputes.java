package io.tensorlink.chain.validator;

import io.tensorlink.chain.pol.EthAddress;
import io.tensorlink.chain.store.BlockKey;
import io.tensorlink.chain.store.RecordKey;
import io.tensorlink.chain.validator.dispute.ChallengeEvidence;
import io.tensorlink.chain.validator.dispute.DataRequestView;
import io.tensorlink.chain.validator.dispute.DisputeStatus;
import io.tensorlink.chain.validator.dispute.DisputeView;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.web3j.crypto.Hash;
import org.web3j.utils.Numeric;

/**
 * An in-memory court that records what the validator sent, for tests that are about the validator
 * rather than the court (the real one is {@code SuiteDisputeClient}, tested on anvil): every call
 * of {@link #head()} is a new block, a commitment is mined at once, a reveal opens a dispute that
 * is already decided Fraud, and any other dispute id is in its voting phase with this account
 * alone on the committee.
 */
class RecordingDisputes implements DisputeClient {
  record Challenge(BlockKey block, byte[] blockHash, RecordKey record) {}

  record Vote(BigInteger disputeId, boolean fraud) {}

  final List<Challenge> challenges = new CopyOnWriteArrayList<>();
  final List<Vote> votes = new CopyOnWriteArrayList<>();
  final List<byte[]> commits = new CopyOnWriteArrayList<>();
  private final String account;
  private final AtomicLong block = new AtomicLong(100);
  private final Map<String, Long> commitments = new ConcurrentHashMap<>();

  RecordingDisputes(final String account) {
    this.account = EthAddress.lower(account);
  }

  @Override
  public String account() {
    return account;
  }

  @Override
  public long head() {
    return block.incrementAndGet();
  }

  @Override
  public byte[] commitment(final BigInteger jobId, final long blockIndex, final byte[] recordHash, final byte[] salt) {
    return Hash.sha3(Rlp.encodeList(w -> {
      w.writeBigInteger(jobId);
      w.writeLong(blockIndex);
      w.writeByteArray(recordHash);
      w.writeByteArray(salt);
    }));
  }

  @Override
  public long commitmentBlock(final byte[] commitment) {
    return commitments.getOrDefault(Numeric.toHexString(commitment), 0L);
  }

  @Override
  public void commit(final byte[] commitment) {
    commits.add(commitment);
    commitments.put(Numeric.toHexString(commitment), block.incrementAndGet());
  }

  @Override
  public BigInteger challenge(final ChallengeEvidence evidence) {
    challenges.add(new Challenge(evidence.block(), evidence.blockHash(), evidence.record()));
    commitments.replaceAll((c, at) -> USED);
    return BigInteger.valueOf(1_000 + challenges.size());
  }

  @Override
  public Optional<BigInteger> findDispute(final BigInteger jobId, final long blockIndex, final byte[] recordHash,
      final Optional<String> challenger, final long from) {
    return Optional.empty();
  }

  @Override
  public DisputeView dispute(final BigInteger disputeId) {
    final long now = block.get();
    if (disputeId.compareTo(BigInteger.valueOf(1_000)) > 0) {
      return new DisputeView(disputeId, DisputeStatus.FRAUD, account, 0, 0, List.of(), 0, 0, 0, now, now);
    }
    final long mask = votes.stream().anyMatch(v -> v.disputeId().equals(disputeId)) ? 1 : 0;
    return new DisputeView(disputeId, DisputeStatus.VOTING, "0x" + "ee".repeat(20), 1, Long.MAX_VALUE, List.of(account), mask,
        0, 0, now, now);
  }

  @Override
  public void draw(final BigInteger disputeId) {
    throw new UnsupportedOperationException("draw");
  }

  @Override
  public void vote(final BigInteger disputeId, final boolean fraud) {
    votes.add(new Vote(disputeId, fraud));
  }

  @Override
  public void resolve(final BigInteger disputeId) {
    throw new UnsupportedOperationException("resolve");
  }

  @Override
  public Optional<DataRequestView> dataRequest(final BigInteger requestId) {
    return Optional.empty();
  }

  @Override
  public void provideData(final BigInteger requestId, final byte[] recordWire, final List<byte[]> proof) {
    throw new UnsupportedOperationException("provideData");
  }
}
