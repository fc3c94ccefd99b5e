package io.tensorlink.p2p.crypto;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import io.tensorlink.p2p.util.MalformedInputException;
import java.io.IOException;

/**
 * The {@code PublicKey}/{@code PrivateKey} protobuf messages of the peer-ID spec: {@code Type = 1}
 * (enum), {@code Data = 2} (bytes). Encoding is deterministic (field order, minimal varints) because
 * peer IDs hash these bytes.
 */
final class KeyProtobuf {
  /** Generous bound: secp256k1 and Ed25519 keys are under 100 bytes. */
  private static final int MAX_KEY_BYTES = 1024;

  record Decoded(KeyType type, byte[] data) {}

  private KeyProtobuf() {}

  static byte[] encode(final KeyType type, final byte[] data) {
    final int size =
        CodedOutputStream.computeEnumSize(1, type.code()) + CodedOutputStream.computeByteArraySize(2, data);
    final byte[] out = new byte[size];
    final CodedOutputStream cos = CodedOutputStream.newInstance(out);
    try {
      cos.writeEnum(1, type.code());
      cos.writeByteArray(2, data);
      cos.checkNoSpaceLeft();
    } catch (final IOException e) {
      throw new IllegalStateException("protobuf encoding into an exact-size array failed", e);
    }
    return out;
  }

  static Decoded decode(final byte[] bytes) {
    if (bytes.length > MAX_KEY_BYTES) {
      throw new MalformedInputException("key protobuf too large: " + bytes.length + " bytes");
    }
    Integer type = null;
    byte[] data = null;
    try {
      final CodedInputStream in = CodedInputStream.newInstance(bytes);
      for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
        switch (tag) {
          case 8 -> type = in.readEnum();
          case 18 -> data = in.readByteArray();
          default -> {
            if (!in.skipField(tag)) {
              throw new MalformedInputException("key protobuf: unexpected end-group tag");
            }
          }
        }
      }
    } catch (final IOException e) {
      throw new MalformedInputException("key protobuf is malformed: " + e.getMessage(), e);
    }
    if (type == null || data == null) {
      throw new MalformedInputException("key protobuf lacks the " + (type == null ? "Type" : "Data") + " field");
    }
    return new Decoded(KeyType.fromCode(type), data);
  }
}
