package io.tensorlink.chain.pol.wire;

import io.tensorlink.chain.pol.work.InputKind;
import io.tensorlink.chain.pol.work.RecordKey;
import java.nio.charset.StandardCharsets;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.rlp.RLP;

/**
 * The {@code /tl/verify/1.0.0} messages, carried as bulk-message metadata (docs/pol.md): a request
 * {@code [jobId, step, stage, replica, kind]} with an empty payload, and a response {@code [status,
 * reason]} whose payload is a {@link TensorCodec} set when the status is {@link #OK}.
 */
public final class VerifyMessages {
  public static final int OK = 0;
  public static final int UNAVAILABLE = 1;
  private static final int MAX_REQUEST = 128;
  private static final int MAX_RESPONSE_META = 1024;
  private static final int MAX_REASON = 512;

  private VerifyMessages() {}

  public record Request(RecordKey key, InputKind kind) {}

  public record Response(int status, String reason) {
    public Response {
      if (status != OK && status != UNAVAILABLE) {
        throw new IllegalArgumentException("unknown verify status " + status);
      }
    }
  }

  public static Bytes encode(final Request r) {
    return PolCodec.flat(RLP.encodeList(w -> {
      PolCodec.uint(w, r.key().jobId());
      PolCodec.uint64(w, r.key().step());
      PolCodec.uint64(w, r.key().stage());
      PolCodec.uint64(w, r.key().replica());
      PolCodec.uint64(w, r.kind().ordinal());
    }));
  }

  public static Request decodeRequest(final Bytes input) {
    return PolCodec.decode(input, "VerifyRequest", MAX_REQUEST, f -> {
      final RecordKey key = new RecordKey(f.uint("jobId", 256), f.uint63("step"), f.uint31("stage"),
          f.uint31("replica"));
      final int kind = f.uint31("kind");
      if (kind >= InputKind.values().length) {
        throw new WireException("VerifyRequest.kind: " + kind + " is not an input kind");
      }
      return new Request(key, InputKind.values()[kind]);
    }, VerifyMessages::encode);
  }

  public static Bytes encode(final Response r) {
    final String reason = r.reason().length() > MAX_REASON / 4 ? r.reason().substring(0, MAX_REASON / 4) : r.reason();
    return PolCodec.flat(RLP.encodeList(w -> {
      PolCodec.uint64(w, r.status());
      w.writeValue(Bytes.wrap(reason.getBytes(StandardCharsets.UTF_8)));
    }));
  }

  public static Response decodeResponse(final Bytes input) {
    return PolCodec.decode(input, "VerifyResponse", MAX_RESPONSE_META, f -> new Response(f.uint31("status"),
        new String(f.bytes("reason", MAX_REASON).toArrayUnsafe(), StandardCharsets.UTF_8)), VerifyMessages::encode);
  }
}
