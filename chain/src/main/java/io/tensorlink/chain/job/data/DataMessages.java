package io.tensorlink.chain.job.data;

import io.tensorlink.chain.pol.wire.WireException;
import java.math.BigInteger;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.rlp.RLP;
import org.apache.tuweni.rlp.RLPException;

/**
 * The metadata of {@code /tl/data/1.0.0} frames: a request {@code [jobId, chunk]} (no payload) and
 * an answer {@code [status, reason]} whose payload is the chunk's bytes when the status is
 * {@link #OK}. One request per stream.
 */
final class DataMessages {
  static final int OK = 0;
  static final int UNAVAILABLE = 1;
  static final int MAX_META = 512;

  private DataMessages() {}

  record Request(BigInteger jobId, int chunk) {}

  record Answer(int status, String reason) {}

  static byte[] encode(final Request r) {
    return RLP.encodeList(w -> {
      w.writeBigInteger(r.jobId());
      w.writeInt(r.chunk());
    }).toArray();
  }

  static Request decodeRequest(final byte[] wire) {
    try {
      return RLP.decodeList(Bytes.wrap(wire), r -> {
        final Request req = new Request(r.readBigInteger(), r.readInt());
        if (!r.isComplete() || req.chunk() < 0) {
          throw new WireException("data request has trailing fields or a negative chunk");
        }
        return req;
      });
    } catch (RLPException e) {
      throw new WireException("malformed data request: " + e.getMessage(), e);
    }
  }

  static byte[] encode(final Answer a) {
    return RLP.encodeList(w -> {
      w.writeInt(a.status());
      w.writeString(a.reason());
    }).toArray();
  }

  static Answer decodeAnswer(final byte[] wire) {
    try {
      return RLP.decodeList(Bytes.wrap(wire), r -> {
        final Answer a = new Answer(r.readInt(), r.readString());
        if (!r.isComplete()) {
          throw new WireException("data answer has trailing fields");
        }
        return a;
      });
    } catch (RLPException e) {
      throw new WireException("malformed data answer: " + e.getMessage(), e);
    }
  }
}
