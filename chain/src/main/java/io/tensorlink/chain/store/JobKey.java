package io.tensorlink.chain.store;

import java.math.BigInteger;
import java.nio.ByteBuffer;

/** Key of {@link Column#JOBS}: the on-chain job id. */
public record JobKey(BigInteger jobId) {
  public JobKey {
    KeyCodec.requireJobId(jobId);
  }

  byte[] bytes() {
    return KeyCodec.jobPrefix(jobId);
  }

  static JobKey decode(final byte[] key) {
    return new JobKey(KeyCodec.getJobId(ByteBuffer.wrap(key)));
  }
}
