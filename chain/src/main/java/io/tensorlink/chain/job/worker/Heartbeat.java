package io.tensorlink.chain.job.worker;

import java.math.BigInteger;
import java.nio.ByteBuffer;

/**
 * A worker's "still here" on {@code /tl/heartbeat/1/<jobId>}: its cell and the step it is at.
 * Authored: gossipsub signs every message with the publisher's peer key (strict signing), and a
 * receiver maps the author to an account through the node bindings before believing the cell.
 * Fixed layout, {@value #SIZE} bytes, big-endian:
 * {@code version u8 (1) | jobId u256 | stage u32 | replica u32 | nextStep u64 | sentAt u64 (unix ms)}.
 */
public record Heartbeat(BigInteger jobId, int stage, int replica, long nextStep, long sentAtMillis) {
  public static final int VERSION = 1;
  public static final int SIZE = 1 + 32 + 4 + 4 + 8 + 8;

  public Heartbeat {
    if (jobId.signum() < 0 || jobId.bitLength() > 256 || stage < 0 || replica < 0 || nextStep < 0) {
      throw new IllegalArgumentException("heartbeat fields out of range: job " + jobId + " stage " + stage
          + " replica " + replica + " step " + nextStep);
    }
  }

  public static String topic(final BigInteger jobId) {
    return "/tl/heartbeat/1/" + jobId;
  }

  public byte[] encode() {
    final byte[] id = jobId.toByteArray();
    final int len = Math.min(id.length, 32);
    return ByteBuffer.allocate(SIZE).put((byte) VERSION).put(new byte[32 - len]).put(id, id.length - len, len)
        .putInt(stage).putInt(replica).putLong(nextStep).putLong(sentAtMillis).array();
  }

  /** @throws IllegalArgumentException naming what is wrong */
  public static Heartbeat decode(final byte[] wire) {
    if (wire.length != SIZE) {
      throw new IllegalArgumentException("heartbeat has " + wire.length + " bytes, expected " + SIZE);
    }
    final ByteBuffer b = ByteBuffer.wrap(wire);
    if (b.get() != VERSION) {
      throw new IllegalArgumentException("heartbeat version " + wire[0] + ", only " + VERSION + " is known");
    }
    final byte[] id = new byte[32];
    b.get(id);
    return new Heartbeat(new BigInteger(1, id), b.getInt(), b.getInt(), b.getLong(), b.getLong());
  }
}
