package io.tensorlink.p2p.kad;

import java.util.List;
import java.util.Optional;

/**
 * One {@code /ipfs/kad/1.0.0} message; requests and responses share the type. The key is copied in
 * and out.
 */
public record KadMessage(
    Type type, byte[] key, Optional<KadRecord> record, List<KadPeer> closerPeers, List<KadPeer> providerPeers) {
  /** {@code Message.MessageType}, in wire order. */
  public enum Type {
    PUT_VALUE,
    GET_VALUE,
    ADD_PROVIDER,
    GET_PROVIDERS,
    FIND_NODE,
    PING
  }

  public KadMessage {
    key = key.clone();
    closerPeers = List.copyOf(closerPeers);
    providerPeers = List.copyOf(providerPeers);
  }

  public static KadMessage request(final Type type, final byte[] key) {
    return new KadMessage(type, key, Optional.empty(), List.of(), List.of());
  }

  @Override
  public byte[] key() {
    return key.clone();
  }

  @Override
  public boolean equals(final Object o) {
    return o instanceof KadMessage m
        && type == m.type
        && java.util.Arrays.equals(key, m.key)
        && record.equals(m.record)
        && closerPeers.equals(m.closerPeers)
        && providerPeers.equals(m.providerPeers);
  }

  @Override
  public int hashCode() {
    return type.hashCode() * 31 + java.util.Arrays.hashCode(key);
  }
}
