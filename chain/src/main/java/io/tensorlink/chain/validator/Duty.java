package io.tensorlink.chain.validator;

import io.tensorlink.chain.pol.EthAddress;
import io.tensorlink.chain.store.BlockKey;
import io.tensorlink.chain.store.DutyKey;
import io.tensorlink.chain.store.RecordKey;
import io.tensorlink.chain.validator.dispute.ChallengeState;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import org.web3j.utils.Numeric;

/**
 * Work the validator owes, kept in the store's duties column until done so that a crash cannot
 * lose it. Stored values are RLP; keys are a kind byte and an id.
 */
sealed interface Duty {
  byte FRAUD = 'f';
  byte CHALLENGE = 'c';
  byte VOTE = 'v';
  byte DISPUTED = 'd';
  byte DATA = 'a';

  DutyKey key();

  byte[] encode();

  /** Fraud this node found in block {@code block}'s record {@code record}: challenged if the block is anchored anyway. */
  record FraudFound(BlockKey block, RecordKey record, String reason) implements Duty {
    /** The key of the fraud note for {@code block}, if there is one. */
    static DutyKey keyFor(final BlockKey block) {
      return new DutyKey(FRAUD, blockId(block));
    }

    @Override
    public DutyKey key() {
      return keyFor(block);
    }

    @Override
    public byte[] encode() {
      return Rlp.encodeList(w -> {
        w.writeBigInteger(block.jobId());
        w.writeLong(block.index());
        w.writeLong(record.step());
        w.writeInt(record.stage());
        w.writeInt(record.replica());
        w.writeString(reason);
      });
    }
  }

  /**
   * This validator's challenge of a record in an anchored block, in whichever phase it is
   * ({@link ChallengeState}); each phase replaces the value under the same key.
   */
  record Challenge(ChallengeState state) implements Duty {
    @Override
    public DutyKey key() {
      return new DutyKey(CHALLENGE, blockId(state.target().block()));
    }

    @Override
    public byte[] encode() {
      return state.encode();
    }
  }

  /** Data request {@code requestId} names {@code record} of {@code block}, which this node holds: publish it in time. */
  record DataRequested(BigInteger requestId, BlockKey block, RecordKey record) implements Duty {
    @Override
    public DutyKey key() {
      return new DutyKey(DATA, uint256(requestId));
    }

    @Override
    public byte[] encode() {
      return Rlp.encodeList(w -> {
        w.writeBigInteger(requestId);
        w.writeBigInteger(block.jobId());
        w.writeLong(block.index());
        w.writeLong(record.step());
        w.writeInt(record.stage());
        w.writeInt(record.replica());
      });
    }
  }

  /** Vote, as a committee member, on dispute {@code disputeId} over {@code worker}'s record at {@code step}. */
  record Vote(BigInteger disputeId, BigInteger jobId, String worker, long step) implements Duty {
    @Override
    public DutyKey key() {
      return new DutyKey(VOTE, uint256(disputeId));
    }

    @Override
    public byte[] encode() {
      return encodeDispute(disputeId, jobId, worker, step);
    }
  }

  /**
   * A dispute opened over {@code worker}'s record at {@code step}, whose committee is not drawn yet
   * (from the hash of chain block {@code drawBlock}): becomes a {@link Vote} if this validator is
   * drawn, and is dropped otherwise.
   */
  record Disputed(BigInteger disputeId, BigInteger jobId, String worker, long step, long drawBlock) implements Duty {
    static DutyKey keyFor(final BigInteger disputeId) {
      return new DutyKey(DISPUTED, uint256(disputeId));
    }

    @Override
    public DutyKey key() {
      return keyFor(disputeId);
    }

    @Override
    public byte[] encode() {
      return Rlp.encodeList(w -> {
        writeDispute(w, disputeId, jobId, worker, step);
        w.writeLong(drawBlock);
      });
    }

    Vote toVote() {
      return new Vote(disputeId, jobId, worker, step);
    }
  }

  static Duty decode(final DutyKey key, final byte[] value) {
    return switch (key.kind()) {
      case FRAUD -> Rlp.decodeList(value, "fraud note", r -> {
        final BigInteger job = r.readBigInteger();
        final long index = r.readLong();
        return new FraudFound(new BlockKey(job, index), new RecordKey(job, r.readLong(), r.readInt(), r.readInt()), r.readString());
      });
      case CHALLENGE -> new Challenge(ChallengeState.decode(value));
      case DATA -> Rlp.decodeList(value, "data request duty", r -> {
        final BigInteger id = r.readBigInteger();
        final BigInteger job = r.readBigInteger();
        final long index = r.readLong();
        return new DataRequested(id, new BlockKey(job, index), new RecordKey(job, r.readLong(), r.readInt(), r.readInt()));
      });
      case VOTE -> Rlp.decodeList(value, "vote duty", r -> new Vote(r.readBigInteger(), r.readBigInteger(),
          Numeric.toHexString(Rlp.readFixed(r, 20, "worker")), r.readLong()));
      // Written without drawBlock before it was kept: 0 (unknown) then.
      case DISPUTED -> Rlp.decodeList(value, "open dispute", r -> new Disputed(r.readBigInteger(), r.readBigInteger(),
          Numeric.toHexString(Rlp.readFixed(r, 20, "worker")), r.readLong(), r.isComplete() ? 0 : r.readLong()));
      default -> throw new MalformedMessageException("unknown duty kind " + key.kind());
    };
  }

  private static byte[] encodeDispute(final BigInteger disputeId, final BigInteger jobId, final String worker, final long step) {
    return Rlp.encodeList(w -> writeDispute(w, disputeId, jobId, worker, step));
  }

  private static void writeDispute(final org.apache.tuweni.rlp.RLPWriter w, final BigInteger disputeId, final BigInteger jobId,
      final String worker, final long step) {
    w.writeBigInteger(disputeId);
    w.writeBigInteger(jobId);
    w.writeByteArray(EthAddress.bytes(worker));
    w.writeLong(step);
  }

  private static byte[] uint256(final BigInteger value) {
    final ByteBuffer b = ByteBuffer.allocate(32);
    final byte[] raw = value.toByteArray();
    final int skip = raw.length > 32 ? raw.length - 32 : 0;
    b.position(32 - (raw.length - skip));
    b.put(raw, skip, raw.length - skip);
    return b.array();
  }

  private static byte[] blockId(final BlockKey block) {
    final byte[] job = block.jobId().toByteArray();
    final ByteBuffer b = ByteBuffer.allocate(40);
    final int skip = job.length > 32 ? job.length - 32 : 0;
    b.position(32 - (job.length - skip));
    b.put(job, skip, job.length - skip);
    return b.putLong(32, block.index()).array();
  }
}
