package io.tensorlink.p2p.transport;

import io.tensorlink.p2p.host.HostConfig;

/** Placeholder while the transport is being written; replaced in the next commit. */
public final class NettyHost {
  public NettyHost(final HostConfig config) {
    throw new UnsupportedOperationException("NettyHost is being implemented");
  }
}
