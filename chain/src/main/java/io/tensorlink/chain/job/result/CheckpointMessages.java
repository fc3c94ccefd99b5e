package io.tensorlink.chain.job.result;

import io.tensorlink.chain.pol.wire.TensorCodec;
import io.tensorlink.compute.tensor.NamedTensors;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.tuweni.bytes.Bytes;

/**
 * The {@code /tl/checkpoint/1.0.0} messages (docs/jobs-result.md §1), carried as bulk messages of
 * p2p's {@code BulkChannel}. Fixed big-endian layouts, decoded strictly: a message of the wrong
 * length, version or status is refused, never guessed at.
 *
 * <pre>
 *   request  (START metadata, empty payload), 49 bytes:
 *     version u8 (1) | jobId u256 | stage u32 | replica u32 | step u64
 *   response (START metadata), 12 + n bytes:
 *     version u8 (1) | status u8 | step u64 | reason length u16 (n ≤ 512) | reason UTF-8
 *   response payload when OK:
 *     params length u32 | params (TensorCodec) | optimizer state (TensorCodec)
 * </pre>
 */
public final class CheckpointMessages {
  public static final String PROTOCOL = "/tl/checkpoint/1.0.0";
  public static final int VERSION = 1;
  public static final int OK = 0;
  public static final int UNAVAILABLE = 1;
  static final int REQUEST_BYTES = 1 + 32 + 4 + 4 + 8;
  static final int MAX_REASON = 512;
  static final int MAX_RESPONSE_META = 12 + MAX_REASON;

  private CheckpointMessages() {}

  /** Which checkpoint: the parameters and optimizer state of cell (stage, replica) after {@code step} steps. */
  public record Request(BigInteger jobId, int stage, int replica, long step) {
    public Request {
      if (jobId.signum() < 0 || jobId.bitLength() > 256) {
        throw new IllegalArgumentException("jobId must be a uint256, got " + jobId);
      }
      if (stage < 0 || replica < 0 || step < 0) {
        throw new IllegalArgumentException("stage, replica and step must be >= 0, got " + stage + ", " + replica
            + ", " + step);
      }
    }
  }

  /** @param step the step the served checkpoint is at (the requested one when OK) */
  public record Response(int status, long step, String reason) {
    public Response {
      if (status != OK && status != UNAVAILABLE) {
        throw new IllegalArgumentException("unknown checkpoint status " + status);
      }
    }
  }

  public static byte[] encode(final Request r) {
    final ByteBuffer b = ByteBuffer.allocate(REQUEST_BYTES);
    b.put((byte) VERSION).put(uint256(r.jobId()));
    return b.putInt(r.stage()).putInt(r.replica()).putLong(r.step()).array();
  }

  /** @throws MalformedCheckpointException naming what is wrong */
  public static Request decodeRequest(final byte[] m) {
    if (m.length != REQUEST_BYTES) {
      throw new MalformedCheckpointException("request must be " + REQUEST_BYTES + " bytes, got " + m.length);
    }
    final ByteBuffer b = ByteBuffer.wrap(m);
    version(b.get(), "request");
    final byte[] id = new byte[32];
    b.get(id);
    final int stage = b.getInt();
    final int replica = b.getInt();
    final long step = b.getLong();
    if (stage < 0 || replica < 0 || step < 0) {
      throw new MalformedCheckpointException("request has a negative stage, replica or step");
    }
    return new Request(new BigInteger(1, id), stage, replica, step);
  }

  public static byte[] encode(final Response r) {
    byte[] reason = r.reason().getBytes(StandardCharsets.UTF_8);
    if (reason.length > MAX_REASON) {
      reason = r.reason().substring(0, MAX_REASON / 4).getBytes(StandardCharsets.UTF_8);
    }
    return ByteBuffer.allocate(12 + reason.length).put((byte) VERSION).put((byte) r.status()).putLong(r.step())
        .putShort((short) reason.length).put(reason).array();
  }

  /** @throws MalformedCheckpointException naming what is wrong */
  public static Response decodeResponse(final byte[] m) {
    if (m.length < 12 || m.length > MAX_RESPONSE_META) {
      throw new MalformedCheckpointException("response metadata must be 12.." + MAX_RESPONSE_META + " bytes, got "
          + m.length);
    }
    final ByteBuffer b = ByteBuffer.wrap(m);
    version(b.get(), "response");
    final int status = b.get();
    final long step = b.getLong();
    final int length = Short.toUnsignedInt(b.getShort());
    if (status != OK && status != UNAVAILABLE) {
      throw new MalformedCheckpointException("unknown response status " + status);
    }
    if (step < 0) {
      throw new MalformedCheckpointException("response step is negative");
    }
    if (length != b.remaining()) {
      throw new MalformedCheckpointException("response reason length " + length + " but " + b.remaining()
          + " bytes follow");
    }
    final byte[] reason = new byte[length];
    b.get(reason);
    return new Response(status, step, new String(reason, StandardCharsets.UTF_8));
  }

  /** The OK payload: parameters and optimizer state. */
  public static byte[] encodePayload(final NamedTensors params, final NamedTensors state) {
    final byte[] p = TensorCodec.encode(params).toArrayUnsafe();
    final byte[] s = TensorCodec.encode(state).toArrayUnsafe();
    return ByteBuffer.allocate(4 + p.length + s.length).putInt(p.length).put(p).put(s).array();
  }

  /** A decoded payload. */
  public record Tensors(NamedTensors params, NamedTensors state) {}

  /** @throws MalformedCheckpointException when the framing or either tensor set does not decode within {@code maxBytes} */
  public static Tensors decodePayload(final byte[] payload, final int maxBytes) {
    if (payload.length < 4 || payload.length > maxBytes) {
      throw new MalformedCheckpointException("payload must be 4.." + maxBytes + " bytes, got " + payload.length);
    }
    final int paramsLength = ByteBuffer.wrap(payload).getInt();
    if (paramsLength < 0 || paramsLength > payload.length - 4) {
      throw new MalformedCheckpointException("params length " + paramsLength + " exceeds the " + (payload.length - 4)
          + " payload bytes");
    }
    try {
      return new Tensors(TensorCodec.decode(Bytes.wrap(payload, 4, paramsLength), maxBytes),
          TensorCodec.decode(Bytes.wrap(payload, 4 + paramsLength, payload.length - 4 - paramsLength), maxBytes));
    } catch (RuntimeException e) {
      throw new MalformedCheckpointException("payload tensors do not decode: " + e.getMessage());
    }
  }

  private static byte[] uint256(final BigInteger v) {
    final byte[] raw = v.toByteArray();
    final byte[] out = new byte[32];
    final int n = Math.min(raw.length, 32);
    System.arraycopy(raw, raw.length - n, out, 32 - n, n);
    return out;
  }

  private static void version(final byte v, final String what) {
    if (v != VERSION) {
      throw new MalformedCheckpointException(what + " version " + v + ", expected " + VERSION);
    }
  }
}
