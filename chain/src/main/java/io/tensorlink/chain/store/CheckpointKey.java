package io.tensorlink.chain.store;

import java.math.BigInteger;
import java.nio.ByteBuffer;

/** Key of {@link Column#CHECKPOINTS}: a job's checkpoint after step {@code step}. */
public record CheckpointKey(BigInteger jobId, long step) {
  public CheckpointKey {
    KeyCodec.requireJobId(jobId);
    KeyCodec.requireUnsigned(step, "step");
  }

  byte[] bytes() {
    final ByteBuffer b = ByteBuffer.allocate(KeyCodec.JOB_ID + 8);
    KeyCodec.putJobId(b, jobId);
    return b.putLong(step).array();
  }

  static CheckpointKey decode(final byte[] key) {
    final ByteBuffer b = ByteBuffer.wrap(key);
    return new CheckpointKey(KeyCodec.getJobId(b), b.getLong());
  }
}
