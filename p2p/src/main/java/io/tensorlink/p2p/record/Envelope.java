package io.tensorlink.p2p.record;

import com.google.protobuf.CodedInputStream;
import io.tensorlink.p2p.crypto.Keys;
import io.tensorlink.p2p.crypto.PrivKey;
import io.tensorlink.p2p.crypto.PubKey;
import io.tensorlink.p2p.util.MalformedInputException;
import io.tensorlink.p2p.util.Protobufs;
import io.tensorlink.p2p.util.Uvarint;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * A signed envelope (libp2p RFC 0002): {@code Envelope{public_key=1, payload_type=2, payload=3,
 * signature=5}}, the signature covering {@code uvarint(len) ‖ domain ‖ uvarint(len) ‖ payload_type
 * ‖ uvarint(len) ‖ payload} so that a signature made for one domain cannot be replayed in another.
 * An envelope is only ever obtained verified ({@link #open}) or freshly signed ({@link #seal}).
 * Immutable.
 */
public final class Envelope {
  /** Largest envelope accepted (a peer record with a few dozen addresses fits easily). */
  public static final int MAX_BYTES = 4096;

  private final PubKey publicKey;
  private final byte[] payloadType;
  private final byte[] payload;
  private final byte[] encoded;

  private Envelope(final PubKey publicKey, final byte[] payloadType, final byte[] payload, final byte[] encoded) {
    this.publicKey = publicKey;
    this.payloadType = payloadType;
    this.payload = payload;
    this.encoded = encoded;
  }

  public static Envelope seal(final PrivKey key, final String domain, final byte[] payloadType, final byte[] payload) {
    final byte[] signature = key.sign(signedBytes(domain, payloadType, payload));
    final byte[] bytes = Protobufs.encode(out -> {
      out.writeByteArray(1, key.publicKey().marshal());
      out.writeByteArray(2, payloadType);
      out.writeByteArray(3, payload);
      out.writeByteArray(5, signature);
    });
    if (bytes.length > MAX_BYTES) {
      throw new IllegalArgumentException("envelope of " + bytes.length + " bytes exceeds " + MAX_BYTES);
    }
    return new Envelope(key.publicKey(), payloadType.clone(), payload.clone(), bytes);
  }

  /** Decodes {@code bytes} and checks the signature for {@code domain}; throws naming the defect. */
  public static Envelope open(final byte[] bytes, final String domain) {
    if (bytes.length > MAX_BYTES) {
      throw new MalformedInputException("envelope of " + bytes.length + " bytes exceeds " + MAX_BYTES);
    }
    byte[] key = null;
    byte[] type = new byte[0];
    byte[] payload = new byte[0];
    byte[] signature = null;
    try {
      final CodedInputStream in = CodedInputStream.newInstance(bytes);
      for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
        switch (tag) {
          case 10 -> key = in.readByteArray();
          case 18 -> type = in.readByteArray();
          case 26 -> payload = in.readByteArray();
          case 42 -> signature = in.readByteArray();
          default -> Protobufs.skip(in, tag, "envelope");
        }
      }
    } catch (final IOException e) {
      throw new MalformedInputException("envelope is malformed: " + e.getMessage(), e);
    }
    if (key == null || signature == null) {
      throw new MalformedInputException("envelope lacks its " + (key == null ? "public key" : "signature"));
    }
    final PubKey publicKey = Keys.unmarshalPublic(key);
    if (!publicKey.verify(signedBytes(domain, type, payload), signature)) {
      throw new MalformedInputException("envelope signature does not verify for domain " + domain);
    }
    return new Envelope(publicKey, type, payload, bytes.clone());
  }

  private static byte[] signedBytes(final String domain, final byte[] payloadType, final byte[] payload) {
    final byte[] d = domain.getBytes(StandardCharsets.UTF_8);
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (final byte[] part : new byte[][] {d, payloadType, payload}) {
      out.writeBytes(Uvarint.encode(part.length));
      out.writeBytes(part);
    }
    return out.toByteArray();
  }

  public PubKey publicKey() {
    return publicKey;
  }

  public byte[] payloadType() {
    return payloadType.clone();
  }

  public byte[] payload() {
    return payload.clone();
  }

  /** The wire form, as signed or as received. */
  public byte[] bytes() {
    return encoded.clone();
  }
}
