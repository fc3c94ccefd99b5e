package io.tensorlink.chain.store;

import java.math.BigInteger;
import java.nio.ByteBuffer;

/** Key of {@link Column#RECORDS}: one step record per (job, step, stage, replica). */
public record RecordKey(BigInteger jobId, long step, int stage, int replica) {
  static final int LENGTH = KeyCodec.JOB_ID + 8 + 4 + 4;

  public RecordKey {
    KeyCodec.requireJobId(jobId);
    KeyCodec.requireUnsigned(step, "step");
    KeyCodec.requireUnsigned(stage, "stage");
    KeyCodec.requireUnsigned(replica, "replica");
  }

  byte[] bytes() {
    final ByteBuffer b = ByteBuffer.allocate(LENGTH);
    KeyCodec.putJobId(b, jobId);
    return b.putLong(step).putInt(stage).putInt(replica).array();
  }

  /** The smallest key of {@code jobId}'s records at {@code step}. */
  static byte[] stepPrefix(final BigInteger jobId, final long step) {
    final ByteBuffer b = ByteBuffer.allocate(KeyCodec.JOB_ID + 8);
    KeyCodec.putJobId(b, jobId);
    return b.putLong(step).array();
  }

  static RecordKey decode(final byte[] key) {
    final ByteBuffer b = ByteBuffer.wrap(key);
    return new RecordKey(KeyCodec.getJobId(b), b.getLong(), b.getInt(), b.getInt());
  }
}
