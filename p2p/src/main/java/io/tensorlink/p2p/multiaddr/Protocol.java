package io.tensorlink.p2p.multiaddr;

import java.util.Optional;

/** Multiaddr protocols this node understands, with their multicodec codes and value sizes. */
public enum Protocol {
  IP4(4, "ip4", 4),
  TCP(6, "tcp", 2),
  IP6(41, "ip6", 16),
  DNS(53, "dns", Protocol.VARIABLE),
  DNS4(54, "dns4", Protocol.VARIABLE),
  DNS6(55, "dns6", Protocol.VARIABLE),
  P2P(421, "p2p", Protocol.VARIABLE),
  /** A relayed hop: {@code <relay>/p2p-circuit/p2p/<target>}; it has no value. */
  P2P_CIRCUIT(290, "p2p-circuit", 0);

  /** Marks a value carried with a varint length prefix. */
  static final int VARIABLE = -1;

  private final int code;
  private final String text;
  private final int size;

  Protocol(final int code, final String text, final int size) {
    this.code = code;
    this.text = text;
    this.size = size;
  }

  public int code() {
    return code;
  }

  public String text() {
    return text;
  }

  /** Fixed value size in bytes, or {@link #VARIABLE}. */
  int size() {
    return size;
  }

  static Optional<Protocol> byCode(final long code) {
    for (final Protocol p : values()) {
      if (p.code == code) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  static Optional<Protocol> byName(final String name) {
    if (name.equals("ipfs")) {
      return Optional.of(P2P); // legacy alias, still printed by some tools
    }
    for (final Protocol p : values()) {
      if (p.text.equals(name)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }
}
