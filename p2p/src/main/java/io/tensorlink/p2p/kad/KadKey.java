package io.tensorlink.p2p.kad;

import io.tensorlink.p2p.peer.PeerId;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Comparator;

/**
 * A point in the Kademlia keyspace: SHA-256 of a key's bytes (for a peer, of its peer-ID multihash),
 * as the kad-dht spec defines it. Distance is the XOR of two points read as a 256-bit unsigned
 * integer. Immutable.
 */
public final class KadKey {
  public static final int BITS = 256;

  private final byte[] hash;

  private KadKey(final byte[] hash) {
    this.hash = hash;
  }

  public static KadKey of(final byte[] key) {
    try {
      return new KadKey(MessageDigest.getInstance("SHA-256").digest(key));
    } catch (final NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is always present", e);
    }
  }

  public static KadKey of(final PeerId peer) {
    return of(peer.bytes());
  }

  /** Number of leading bits this key shares with {@code other} (256 when equal). */
  public int commonPrefixLength(final KadKey other) {
    for (int i = 0; i < hash.length; i++) {
      final int x = (hash[i] ^ other.hash[i]) & 0xff;
      if (x != 0) {
        return i * 8 + Integer.numberOfLeadingZeros(x) - 24;
      }
    }
    return BITS;
  }

  /** Orders keys by XOR distance to this one, closest first. */
  public Comparator<KadKey> byDistance() {
    return (a, b) -> {
      for (int i = 0; i < hash.length; i++) {
        final int da = (a.hash[i] ^ hash[i]) & 0xff;
        final int db = (b.hash[i] ^ hash[i]) & 0xff;
        if (da != db) {
          return Integer.compare(da, db);
        }
      }
      return 0;
    };
  }

  @Override
  public boolean equals(final Object o) {
    return o instanceof KadKey k && Arrays.equals(hash, k.hash);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(hash);
  }

  @Override
  public String toString() {
    return java.util.HexFormat.of().formatHex(hash, 0, 6) + "…";
  }
}
