package io.tensorlink.p2p.peer;

import io.tensorlink.p2p.crypto.Keys;
import io.tensorlink.p2p.crypto.PubKey;
import io.tensorlink.p2p.util.Base58;
import io.tensorlink.p2p.util.MalformedInputException;
import io.tensorlink.p2p.util.Uvarint;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Optional;

/**
 * A libp2p peer ID: the multihash of a protobuf-encoded public key. Keys whose encoding is at most
 * 42 bytes (Ed25519, secp256k1) use the identity multihash, so the key can be recovered from the ID;
 * longer keys are hashed with sha2-256. Immutable.
 */
public final class PeerId {
  private static final int IDENTITY = 0x00;
  private static final int SHA2_256 = 0x12;
  private static final int MAX_INLINE_KEY = 42;
  private static final int LIBP2P_KEY_CODEC = 0x72;

  private final byte[] bytes;

  private PeerId(final byte[] bytes) {
    this.bytes = bytes;
  }

  public static PeerId fromPublicKey(final PubKey key) {
    final byte[] encoded = key.marshal();
    if (encoded.length <= MAX_INLINE_KEY) {
      final byte[] mh = new byte[2 + encoded.length];
      mh[0] = IDENTITY;
      mh[1] = (byte) encoded.length;
      System.arraycopy(encoded, 0, mh, 2, encoded.length);
      return new PeerId(mh);
    }
    final byte[] mh = new byte[34];
    mh[0] = SHA2_256;
    mh[1] = 32;
    System.arraycopy(sha256(encoded), 0, mh, 2, 32);
    return new PeerId(mh);
  }

  /** Parses the multihash bytes of a peer ID, checking the hash function and length. */
  public static PeerId fromBytes(final byte[] multihash) {
    final int[] pos = {0};
    final long code = Uvarint.read(multihash, pos);
    final long length = Uvarint.read(multihash, pos);
    if (length != multihash.length - pos[0]) {
      throw new MalformedInputException(
          "peer ID multihash declares " + length + " digest bytes but has " + (multihash.length - pos[0]));
    }
    if (code == IDENTITY) {
      if (length > MAX_INLINE_KEY) {
        throw new MalformedInputException("identity-multihash peer ID longer than " + MAX_INLINE_KEY + " bytes");
      }
      Keys.unmarshalPublic(Arrays.copyOfRange(multihash, pos[0], multihash.length));
    } else if (code == SHA2_256) {
      if (length != 32) {
        throw new MalformedInputException("sha2-256 peer ID must have a 32-byte digest, got " + length);
      }
    } else {
      throw new MalformedInputException("peer ID uses unsupported multihash code 0x" + Long.toHexString(code));
    }
    return new PeerId(multihash.clone());
  }

  /** Parses {@code 12D3KooW…}/{@code Qm…} (base58btc) or the CIDv1 form ({@code bafz…}). */
  public static PeerId fromString(final String text) {
    if (text.isEmpty()) {
      throw new MalformedInputException("empty peer ID");
    }
    if (text.startsWith("1") || text.startsWith("Qm")) {
      return fromBytes(Base58.decode(text));
    }
    if (text.charAt(0) == 'b') {
      final byte[] cid = Base32.decodeLower(text.substring(1));
      final int[] pos = {0};
      final long version = Uvarint.read(cid, pos);
      final long codec = Uvarint.read(cid, pos);
      if (version != 1 || codec != LIBP2P_KEY_CODEC) {
        throw new MalformedInputException("peer ID CID must be version 1 with codec libp2p-key (0x72)");
      }
      return fromBytes(Arrays.copyOfRange(cid, pos[0], cid.length));
    }
    throw new MalformedInputException("peer ID '" + text + "' is neither base58btc nor a base32 CID");
  }

  public byte[] bytes() {
    return bytes.clone();
  }

  /** The public key, when the ID inlines it (identity multihash). */
  public Optional<PubKey> publicKey() {
    if (bytes[0] != IDENTITY) {
      return Optional.empty();
    }
    return Optional.of(Keys.unmarshalPublic(Arrays.copyOfRange(bytes, 2, bytes.length)));
  }

  /** Whether this ID was derived from {@code key}. */
  public boolean matches(final PubKey key) {
    return equals(fromPublicKey(key));
  }

  /** The CIDv1 text form ({@code bafz…}), which {@link #fromString} also accepts. */
  public String toCidString() {
    final byte[] cid = new byte[2 + bytes.length];
    cid[0] = 1;
    cid[1] = LIBP2P_KEY_CODEC;
    System.arraycopy(bytes, 0, cid, 2, bytes.length);
    return "b" + Base32.encodeLower(cid);
  }

  public String toBase58() {
    return Base58.encode(bytes);
  }

  @Override
  public boolean equals(final Object o) {
    return o instanceof PeerId other && Arrays.equals(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return toBase58();
  }

  private static byte[] sha256(final byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (final NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK lacks SHA-256", e);
    }
  }
}
