package io.tensorlink.chain.validator;

import io.tensorlink.chain.validator.dispute.ChallengeEvidence;
import io.tensorlink.chain.validator.dispute.CourtRejectedException;
import io.tensorlink.chain.validator.dispute.DataRequestView;
import io.tensorlink.chain.validator.dispute.DisputeView;
import java.math.BigInteger;
import java.util.List;
import java.util.Optional;

/**
 * The dispute court (contracts v2) as the validator uses it, one call per court operation, so that
 * each phase of a dispute can be a duty persisted in the store between calls (see
 * {@code ChallengeSteps}): commit a challenge, reveal it in a later block, draw the committee,
 * vote, resolve, and answer data-availability requests.
 *
 * <p>Every sending method throws {@link CourtRejectedException} when the court refuses (a revert,
 * named) and any other runtime exception when the chain could not be reached.
 */
public interface DisputeClient {
  /** Marks a commitment spent by its reveal ({@link #commitmentBlock}). */
  long USED = Long.MAX_VALUE;

  /** The account that sends; commitments are bound to it. */
  String account();

  /** The latest chain block number. */
  long head();

  /** {@code DisputeCourt.challengeCommitment(account, jobId, blockIndex, recordHash, salt)}, computed locally. */
  byte[] commitment(BigInteger jobId, long blockIndex, byte[] recordHash, byte[] salt);

  /** The chain block {@code commitment} was mined in: 0 when never committed, {@link #USED} once revealed. */
  long commitmentBlock(byte[] commitment);

  /** {@code commitChallenge(commitment)}, waiting for the receipt. */
  void commit(byte[] commitment);

  /** Approves the bond if the allowance is short, then {@code challenge(evidence)}; returns the new dispute's id. */
  BigInteger challenge(ChallengeEvidence evidence);

  /**
   * The latest dispute over {@code recordHash} in that block opened by {@code challenger} (any
   * challenger when empty), searching from chain block {@code fromBlock}.
   */
  Optional<BigInteger> findDispute(BigInteger jobId, long blockIndex, byte[] recordHash, Optional<String> challenger,
      long fromBlock);

  /** The dispute and the chain's latest block; status NONE for an unknown id. */
  DisputeView dispute(BigInteger disputeId);

  void draw(BigInteger disputeId);

  /** Casts this account's committee vote. */
  void vote(BigInteger disputeId, boolean fraud);

  void resolve(BigInteger disputeId);

  /** The data request, empty for an unknown id. */
  Optional<DataRequestView> dataRequest(BigInteger requestId);

  /** {@code provideData(requestId, record, signature, proof)} with the signed record's wire form. */
  void provideData(BigInteger requestId, byte[] recordWire, List<byte[]> proof);
}
