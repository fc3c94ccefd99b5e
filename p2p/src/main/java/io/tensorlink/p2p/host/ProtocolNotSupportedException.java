package io.tensorlink.p2p.host;

import java.util.List;

/** The peer answered {@code na} to every protocol we proposed. */
public final class ProtocolNotSupportedException extends RuntimeException {
  private final List<String> protocols;

  public ProtocolNotSupportedException(final List<String> protocols) {
    super("peer supports none of " + protocols);
    this.protocols = List.copyOf(protocols);
  }

  public List<String> protocols() {
    return protocols;
  }
}
