package io.tensorlink.chain.store;

import java.math.BigInteger;
import java.nio.ByteBuffer;

/** Key of {@link Column#BLOCKS} and {@link Column#SIGNING_GUARD}: a job's PoL block index. */
public record BlockKey(BigInteger jobId, long index) {
  static final int LENGTH = KeyCodec.JOB_ID + 8;

  public BlockKey {
    KeyCodec.requireJobId(jobId);
    KeyCodec.requireUnsigned(index, "block index");
  }

  byte[] bytes() {
    final ByteBuffer b = ByteBuffer.allocate(LENGTH);
    KeyCodec.putJobId(b, jobId);
    return b.putLong(index).array();
  }

  static BlockKey decode(final byte[] key) {
    final ByteBuffer b = ByteBuffer.wrap(key);
    return new BlockKey(KeyCodec.getJobId(b), b.getLong());
  }
}
