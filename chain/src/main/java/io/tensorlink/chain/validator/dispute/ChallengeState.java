package io.tensorlink.chain.validator.dispute;

import io.tensorlink.chain.store.BlockKey;
import io.tensorlink.chain.store.RecordKey;
import io.tensorlink.chain.validator.MalformedMessageException;
import io.tensorlink.chain.validator.Rlp;
import java.math.BigInteger;
import java.util.Objects;

/**
 * Where this validator's challenge of one record stands; stored as its duty after every phase so a
 * restart resumes it where it was, without sending anything twice.
 *
 * <ol>
 *   <li>{@link Phase#OWED}: fraud found in an anchored block; nothing chosen or sent yet.
 *   <li>{@link Phase#COMMITTING}: the salt is chosen and stored; {@code commitChallenge} is owed (or
 *       was sent: the court's {@code commitmentBlock} tells).
 *   <li>{@link Phase#REVEALING}: the commitment was mined in {@code commitBlock}; the reveal
 *       ({@code challenge}, which takes the bond) is owed in a later block.
 *   <li>{@link Phase#FOLLOWING}: dispute {@code disputeId} is open; this validator draws its committee
 *       and resolves it when due (anyone may; the challenger has the most reason to).
 * </ol>
 *
 * @param rejections how many times the court refused this phase so far (reset on each phase)
 */
public record ChallengeState(ChallengeTarget target, Phase phase, byte[] salt, long commitBlock, BigInteger disputeId,
    int rejections) {
  public enum Phase { OWED, COMMITTING, REVEALING, FOLLOWING }

  public ChallengeState {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(phase, "phase");
    Objects.requireNonNull(disputeId, "disputeId");
    if (phase != Phase.OWED && salt.length != 32) {
      throw new IllegalArgumentException("a " + phase + " challenge needs a 32-byte salt");
    }
    salt = salt.clone();
  }

  /** A challenge owed for {@code target}. */
  public static ChallengeState owed(final ChallengeTarget target) {
    return new ChallengeState(target, Phase.OWED, new byte[0], 0, BigInteger.ZERO, 0);
  }

  @Override
  public byte[] salt() {
    return salt.clone();
  }

  ChallengeState committing(final byte[] chosenSalt) {
    return new ChallengeState(target, Phase.COMMITTING, chosenSalt, 0, BigInteger.ZERO, 0);
  }

  ChallengeState revealing(final long minedIn) {
    return new ChallengeState(target, Phase.REVEALING, salt, minedIn, BigInteger.ZERO, 0);
  }

  ChallengeState following(final BigInteger id) {
    return new ChallengeState(target, Phase.FOLLOWING, salt, commitBlock, id, 0);
  }

  ChallengeState rejectedOnce() {
    return new ChallengeState(target, phase, salt, commitBlock, disputeId, rejections + 1);
  }

  public byte[] encode() {
    return Rlp.encodeList(w -> {
      w.writeInt(phase.ordinal());
      w.writeBigInteger(target.block().jobId());
      w.writeLong(target.block().index());
      w.writeByteArray(target.blockHash());
      w.writeLong(target.anchoredIn());
      w.writeLong(target.record().step());
      w.writeInt(target.record().stage());
      w.writeInt(target.record().replica());
      w.writeByteArray(salt);
      w.writeLong(commitBlock);
      w.writeBigInteger(disputeId);
      w.writeInt(rejections);
    });
  }

  /** @throws MalformedMessageException naming what is wrong */
  public static ChallengeState decode(final byte[] wire) {
    return Rlp.decodeList(wire, "challenge duty", r -> {
      final int phase = r.readInt();
      if (phase < 0 || phase >= Phase.values().length) {
        throw new MalformedMessageException("challenge duty has unknown phase " + phase);
      }
      final BigInteger job = r.readBigInteger();
      final long index = r.readLong();
      final byte[] hash = Rlp.readFixed(r, 32, "block hash");
      final long anchoredIn = r.readLong();
      final RecordKey record = new RecordKey(job, r.readLong(), r.readInt(), r.readInt());
      final ChallengeTarget target = new ChallengeTarget(new BlockKey(job, index), hash, anchoredIn, record);
      return new ChallengeState(target, Phase.values()[phase], r.readValue().toArray(), r.readLong(), r.readBigInteger(),
          r.readInt());
    });
  }

  @Override
  public String toString() {
    return "challenge of " + target.record() + " in block " + target.block().index() + " of job " + target.block().jobId()
        + " (" + phase + (phase == Phase.FOLLOWING ? " dispute " + disputeId : "") + ")";
  }
}
