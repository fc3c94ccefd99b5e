package io.tensorlink.p2p.noise;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import io.tensorlink.p2p.util.MalformedInputException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

/**
 * The libp2p {@code NoiseHandshakePayload}: {@code identity_key = 1} (protobuf PublicKey), {@code
 * identity_sig = 2}, {@code extensions = 4} (ignored on receipt; we send none, so js-libp2p falls
 * back to multistream-select for the muxer).
 */
record NoiseHandshakePayload(byte[] identityKey, byte[] identitySignature) {
  static final int MAX_SIZE = 4096;

  byte[] encode() {
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    final CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    try {
      out.writeByteArray(1, identityKey);
      out.writeByteArray(2, identitySignature);
      out.flush();
    } catch (final IOException e) {
      throw new IllegalStateException("in-memory protobuf encoding failed", e);
    }
    return bytes.toByteArray();
  }

  static NoiseHandshakePayload decode(final byte[] bytes) {
    if (bytes.length > MAX_SIZE) {
      throw new MalformedInputException("noise handshake payload of " + bytes.length + " bytes is too large");
    }
    byte[] key = null;
    byte[] sig = null;
    try {
      final CodedInputStream in = CodedInputStream.newInstance(bytes);
      for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
        switch (tag) {
          case 10 -> key = in.readByteArray();
          case 18 -> sig = in.readByteArray();
          default -> {
            if (!in.skipField(tag)) {
              throw new MalformedInputException("noise payload: unexpected end-group tag");
            }
          }
        }
      }
    } catch (final IOException e) {
      throw new MalformedInputException("noise handshake payload is malformed: " + e.getMessage(), e);
    }
    if (key == null || sig == null) {
      throw new MalformedInputException("noise handshake payload lacks " + (key == null ? "identity_key" : "identity_sig"));
    }
    return new NoiseHandshakePayload(key, sig);
  }
}
