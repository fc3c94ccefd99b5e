package io.tensorlink.chain.job.tensor;

import java.math.BigInteger;
import java.nio.ByteBuffer;

/**
 * The metadata of one {@code /tl/tensor/1.0.0} message (the bulk START payload): which job, step
 * and micro-batch the tensors belong to, what they are, and which cell sent them. Fixed layout,
 * {@value #SIZE} bytes, big-endian:
 *
 * <pre>
 *   version u8 (1) | kind u8 | jobId u256 | step u64 | micro u32 | stage u32 | replica u32
 * </pre>
 *
 * The payload that follows is a tensor set in the verify wire's encoding ({@code TensorCodec}).
 */
public record FrameHeader(BigInteger jobId, long step, int micro, FrameKind kind, int stage, int replica) {
  public static final int VERSION = 1;
  public static final int SIZE = 1 + 1 + 32 + 8 + 4 + 4 + 4;

  public FrameHeader {
    if (jobId.signum() < 0 || jobId.bitLength() > 256) {
      throw new FrameRejectedException("job id " + jobId + " is not a uint256");
    }
    if (step < 0 || micro < 0 || stage < 0 || replica < 0) {
      throw new FrameRejectedException("negative step, micro-batch, stage or replica in a frame header");
    }
    if (kind == FrameKind.REPLICA_GRADS && micro != 0) {
      throw new FrameRejectedException("replica gradients are one message per step, micro-batch must be 0, got " + micro);
    }
  }

  public byte[] encode() {
    final ByteBuffer b = ByteBuffer.allocate(SIZE).put((byte) VERSION).put((byte) kind.code());
    final byte[] id = jobId.toByteArray();
    final int len = Math.min(id.length, 32);
    b.put(new byte[32 - len]).put(id, id.length - len, len);
    return b.putLong(step).putInt(micro).putInt(stage).putInt(replica).array();
  }

  /** @throws FrameRejectedException naming what is wrong (length, version, kind, negative fields) */
  public static FrameHeader decode(final byte[] wire) {
    if (wire.length != SIZE) {
      throw new FrameRejectedException("frame header has " + wire.length + " bytes, expected " + SIZE);
    }
    final ByteBuffer b = ByteBuffer.wrap(wire);
    final int version = b.get() & 0xff;
    if (version != VERSION) {
      throw new FrameRejectedException("frame header version " + version + ", only " + VERSION + " is known");
    }
    final FrameKind kind = FrameKind.of(b.get() & 0xff);
    final byte[] id = new byte[32];
    b.get(id);
    return new FrameHeader(new BigInteger(1, id), b.getLong(), b.getInt(), kind, b.getInt(), b.getInt());
  }

  @Override
  public String toString() {
    return kind + " job " + jobId + " step " + step + " micro " + micro + " from stage " + stage + " replica " + replica;
  }
}
