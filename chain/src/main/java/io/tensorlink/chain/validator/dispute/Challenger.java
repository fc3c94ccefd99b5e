package io.tensorlink.chain.validator.dispute;

import io.tensorlink.chain.validator.DisputeClient;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.utils.Numeric;

/**
 * Carries a challenge one phase further ({@link ChallengeState}). Each call sends at most one
 * transaction, and the caller stores the returned state before calling again, so that every
 * transaction is preceded by a stored state that lets a restarted node see whether it was mined:
 * the salt is stored before the commitment is sent (a resend checks {@code commitmentBlock}), and
 * a reveal that was mined has spent its commitment (a restart finds the dispute instead of
 * revealing, and so never pays a second bond).
 */
public final class Challenger {
  private static final Logger LOG = LoggerFactory.getLogger(Challenger.class);

  private final DisputeClient court;
  private final BlockRecords records;
  private final SecureRandom random;

  public Challenger(final DisputeClient court, final BlockRecords records, final SecureRandom random) {
    this.court = court;
    this.records = records;
    this.random = random;
  }

  /** What to do with the duty after one call. */
  public sealed interface Step {
    /** Store this state and call again. */
    record Next(ChallengeState state) implements Step {}

    /** Keep the stored state; try again on a later tick. */
    record Wait() implements Step {}

    /** Delete the duty: the dispute ended ({@code abandoned} false) or it was given up (true). */
    record Done(String outcome, boolean abandoned) implements Step {}
  }

  /**
   * One phase. Transport failures propagate (the caller retries the same state); court refusals and
   * missing evidence are handled here.
   */
  public Step advance(final ChallengeState s) {
    try {
      return switch (s.phase()) {
        case OWED -> owed(s);
        case COMMITTING -> commit(s);
        case REVEALING -> reveal(s);
        case FOLLOWING -> follow(s);
      };
    } catch (CourtRejectedException e) {
      return rejected(s, e);
    } catch (EvidenceUnavailableException e) {
      return new Step.Done("cannot build the evidence: " + e.getMessage(), true);
    }
  }

  private Step owed(final ChallengeState s) {
    final byte[] salt = new byte[32];
    random.nextBytes(salt);
    return new Step.Next(s.committing(salt));
  }

  private Step commit(final ChallengeState s) {
    final byte[] commitment = commitment(s);
    long minedIn = court.commitmentBlock(commitment);
    if (minedIn == 0) {
      final Optional<Step> other = otherDispute(s);
      if (other.isPresent()) {
        return other.get();
      }
      LOG.info("{}: commits to {} ({})", court.account(), s, Numeric.toHexString(commitment));
      court.commit(commitment);
      minedIn = court.commitmentBlock(commitment);
      if (minedIn == 0) {
        return new Step.Wait(); // sent, not mined yet
      }
    }
    return new Step.Next(s.revealing(minedIn));
  }

  private Step reveal(final ChallengeState s) {
    final byte[] commitment = commitment(s);
    final long minedIn = court.commitmentBlock(commitment);
    if (minedIn == DisputeClient.USED) {
      // Revealed before a restart: find the dispute instead of revealing (and paying) again.
      final Optional<BigInteger> id = court.findDispute(s.target().block().jobId(), s.target().block().index(), leaf(s),
          Optional.of(court.account()), s.commitBlock());
      if (id.isEmpty()) {
        LOG.warn("{}: {}: commitment spent but the dispute is not visible yet", court.account(), s);
        return new Step.Wait();
      }
      LOG.info("{}: {} was revealed before a restart: dispute {}", court.account(), s, id.get());
      return new Step.Next(s.following(id.get()));
    }
    if (minedIn == 0) {
      LOG.warn("{}: {}: the commitment is not on chain (reorganised away?): committing again", court.account(), s);
      return new Step.Next(s.committing(s.salt()));
    }
    if (court.head() <= minedIn) {
      return new Step.Wait(); // the reveal must land in a later block than the commitment
    }
    final RecordProof proof = records.proof(s.target().block(), s.target().record());
    final ChallengeEvidence evidence = new ChallengeEvidence(s.target().block(), s.target().blockHash(), s.target().anchoredIn(),
        s.target().record(), proof.wire(), proof.proof(), s.salt());
    final BigInteger id = court.challenge(evidence);
    LOG.warn("{}: opened dispute {} over {}", court.account(), id, s.target().record());
    return new Step.Next(s.following(id));
  }

  /**
   * Someone else's dispute over the same record, before this node spends a commitment on it: a
   * Fraud verdict ends this challenge; an open one is helped along (drawn, resolved: anyone may)
   * and waited for; one that ended otherwise (Rejected, NoQuorum, Expired) leaves the record
   * challengeable, so this node goes on.
   */
  private Optional<Step> otherDispute(final ChallengeState s) {
    final Optional<BigInteger> id = court.findDispute(s.target().block().jobId(), s.target().block().index(), leaf(s),
        Optional.empty(), s.target().anchoredIn());
    if (id.isEmpty()) {
      return Optional.empty();
    }
    final DisputeView d = court.dispute(id.get());
    if (d.status() == DisputeStatus.FRAUD) {
      return Optional.of(new Step.Done("dispute " + d.id() + " by " + d.challenger() + " already found the fraud", false));
    }
    if (d.status().resolved()) {
      return Optional.empty();
    }
    LOG.info("{}: {}: dispute {} by {} is open on the same record: helping it instead of committing", court.account(), s,
        d.id(), d.challenger());
    drive(d);
    return Optional.of(new Step.Wait());
  }

  private Step follow(final ChallengeState s) {
    final DisputeView d = court.dispute(s.disputeId());
    if (d.status().resolved()) {
      return new Step.Done("dispute " + d.id() + " ended " + d.status(), false);
    }
    if (drive(d)) {
      final DisputeView after = court.dispute(d.id());
      return after.status().resolved() ? new Step.Done("dispute " + d.id() + " ended " + after.status(), false) : new Step.Wait();
    }
    return new Step.Wait();
  }

  /** Draws or resolves {@code d} when due; true when it sent {@code resolve}. */
  private boolean drive(final DisputeView d) {
    if (d.drawable()) {
      LOG.info("{}: draws the committee of dispute {}", court.account(), d.id());
      court.draw(d.id());
      return false;
    }
    if (d.resolvable()) {
      LOG.info("{}: resolves dispute {} ({} fraud, {} valid of {})", court.account(), d.id(), d.fraudVotes(), d.validVotes(),
          d.committee().size());
      court.resolve(d.id());
      return true;
    }
    return false;
  }

  private Step rejected(final ChallengeState s, final CourtRejectedException e) {
    if (Rejections.isWait(e)) {
      LOG.info("{}: {}: not yet: {}", court.account(), s, e.getMessage());
      return new Step.Wait();
    }
    if (Rejections.isFinal(e)) {
      return new Step.Done("the court refused it: " + e.getMessage(), true);
    }
    final ChallengeState counted = s.rejectedOnce();
    if (counted.rejections() >= Rejections.MAX_REJECTIONS) {
      return new Step.Done("the court refused it " + counted.rejections() + " times, last: " + e.getMessage(), true);
    }
    LOG.warn("{}: {}: refused ({} of {}), retrying: {}", court.account(), s, counted.rejections(), Rejections.MAX_REJECTIONS,
        e.getMessage());
    return new Step.Next(counted);
  }

  private byte[] commitment(final ChallengeState s) {
    return court.commitment(s.target().block().jobId(), s.target().block().index(), leaf(s), s.salt());
  }

  private byte[] leaf(final ChallengeState s) {
    return records.leaf(s.target().block(), s.target().record());
  }
}
