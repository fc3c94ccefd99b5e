package io.tensorlink.chain.rpc;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A connected TensorLink peer.
 *
 * @param peerId libp2p peer ID
 * @param account its bound Ethereum account (0x-hex), or null when it has published no binding
 * @param addresses multiaddrs to dial it at: those it announced, else those we reached it at
 * @param connections the remote address of each open connection to it (for a connection it opened,
 *     its source port)
 * @param roles roles it announced
 */
public record PeerInfo(String peerId, String account, List<String> addresses, List<String> connections,
    List<String> roles) {
  public PeerInfo {
    Objects.requireNonNull(peerId, "peerId");
    addresses = List.copyOf(addresses);
    connections = List.copyOf(connections);
    roles = List.copyOf(roles);
  }

  Map<String, Object> toJson() {
    final Map<String, Object> m = new LinkedHashMap<>();
    m.put("peerId", peerId);
    m.put("account", account);
    m.put("addresses", addresses);
    m.put("connections", connections);
    m.put("roles", roles);
    return m;
  }
}
