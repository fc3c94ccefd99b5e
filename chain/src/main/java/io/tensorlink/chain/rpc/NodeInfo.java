package io.tensorlink.chain.rpc;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The node's identity and what it follows.
 *
 * @param version software version
 * @param host "standalone" or "besu-plugin"
 * @param account the node's Ethereum account (0x-hex), or null when it runs without a key
 * @param peerId its libp2p peer ID, or null before the p2p host is up
 * @param roles e.g. validator, worker
 * @param chainId EIP-155 chain id of the chain it follows
 * @param headBlock the last chain block it has processed
 * @param contracts contract name to address (0x-hex)
 * @param reachability {@code public}, {@code private} or {@code unknown} as AutoNAT (or the operator)
 *     says, null where the host does not tell
 * @param addresses where peers can reach the node (relay circuit addresses first), empty where the
 *     host does not tell
 */
public record NodeInfo(
    String version,
    String host,
    String account,
    String peerId,
    List<String> roles,
    long chainId,
    long headBlock,
    SortedMap<String, String> contracts,
    String reachability,
    List<String> addresses) {

  public NodeInfo {
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(host, "host");
    roles = List.copyOf(roles);
    contracts = new TreeMap<>(contracts);
    addresses = List.copyOf(addresses);
  }

  /** A node that does not tell its reachability and addresses. */
  public NodeInfo(final String version, final String host, final String account, final String peerId,
      final List<String> roles, final long chainId, final long headBlock, final SortedMap<String, String> contracts) {
    this(version, host, account, peerId, roles, chainId, headBlock, contracts, null, List.of());
  }

  Map<String, Object> toJson() {
    final Map<String, Object> m = new LinkedHashMap<>();
    m.put("version", version);
    m.put("host", host);
    m.put("account", account);
    m.put("peerId", peerId);
    m.put("roles", roles);
    m.put("chainId", Quantity.hex(chainId));
    m.put("headBlock", Quantity.hex(headBlock));
    m.put("contracts", new LinkedHashMap<>(contracts));
    if (reachability != null) {
      m.put("reachability", reachability);
      m.put("addresses", addresses);
    }
    return m;
  }
}
