package io.tensorlink.p2p.transport;

import io.tensorlink.p2p.host.Host;
import io.tensorlink.p2p.host.HostConfig;

/** Creates hosts: the host API ({@code io.tensorlink.p2p.host}) names no implementation. */
public final class Hosts {
  private Hosts() {}

  /** A host on Netty (TCP + Noise + yamux, identify and ping built in); not started yet. */
  public static Host create(final HostConfig config) {
    return new NettyHost(config);
  }
}
