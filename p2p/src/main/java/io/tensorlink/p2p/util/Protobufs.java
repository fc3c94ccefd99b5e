package io.tensorlink.p2p.util;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

/** Small helpers shared by the hand-written protobuf codecs. */
public final class Protobufs {
  private Protobufs() {}

  /** Writes one message body. */
  @FunctionalInterface
  public interface Body {
    void write(CodedOutputStream out) throws IOException;
  }

  /** Encodes {@code body} into a fresh array (in-memory, so an IOException is a bug). */
  public static byte[] encode(final Body body) {
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    final CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    try {
      body.write(out);
      out.flush();
    } catch (final IOException e) {
      throw new IllegalStateException("in-memory protobuf encoding failed", e);
    }
    return bytes.toByteArray();
  }

  /** Skips an unknown field; an end-group tag (groups are not used by libp2p) is malformed. */
  public static void skip(final CodedInputStream in, final int tag, final String what) throws IOException {
    if (!in.skipField(tag)) {
      throw new MalformedInputException(what + ": unexpected end-group tag");
    }
  }
}
