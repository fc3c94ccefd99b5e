package io.tensorlink.p2p.kad;

import io.tensorlink.p2p.crypto.Keys;
import io.tensorlink.p2p.peer.PeerId;
import io.tensorlink.p2p.util.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The {@code /pk/} namespace every libp2p DHT knows: the key is {@code "/pk/" ‖ peer-ID multihash}
 * and the value that peer's protobuf public key. Any two valid values are the same key, so the
 * default selection is right.
 */
public final class PublicKeyValidator implements RecordValidator {
  public static final String NAMESPACE = "pk";
  private static final byte[] PREFIX = "/pk/".getBytes(StandardCharsets.UTF_8);

  /** The record key under which {@code peer}'s public key is stored. */
  public static byte[] keyFor(final PeerId peer) {
    final byte[] id = peer.bytes();
    final byte[] key = Arrays.copyOf(PREFIX, PREFIX.length + id.length);
    System.arraycopy(id, 0, key, PREFIX.length, id.length);
    return key;
  }

  @Override
  public void validate(final byte[] key, final byte[] value) {
    if (key.length <= PREFIX.length || !Arrays.equals(key, 0, PREFIX.length, PREFIX, 0, PREFIX.length)) {
      throw new MalformedInputException("pk record key does not start with /pk/");
    }
    final PeerId claimed = PeerId.fromBytes(Arrays.copyOfRange(key, PREFIX.length, key.length));
    if (!claimed.matches(Keys.unmarshalPublic(value))) {
      throw new MalformedInputException("pk record value is not the public key of " + claimed);
    }
  }
}
