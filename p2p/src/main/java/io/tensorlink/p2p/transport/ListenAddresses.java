package io.tensorlink.p2p.transport;

import io.tensorlink.p2p.multiaddr.Multiaddr;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Expands wildcard listen addresses (0.0.0.0, ::) into the host's interface addresses. */
final class ListenAddresses {
  private ListenAddresses() {}

  static List<Multiaddr> expand(final List<Multiaddr> bound) {
    final List<Multiaddr> out = new ArrayList<>();
    for (final Multiaddr addr : bound) {
      final InetSocketAddress socket = addr.toTcpSocketAddress();
      if (socket.getAddress() == null || !socket.getAddress().isAnyLocalAddress()) {
        out.add(addr);
        continue;
      }
      final boolean v4 = socket.getAddress().getAddress().length == 4;
      for (final InetAddress local : interfaceAddresses()) {
        if ((local.getAddress().length == 4) == v4) {
          out.add(Multiaddr.fromSocketAddress(new InetSocketAddress(local, socket.getPort())));
        }
      }
    }
    return out;
  }

  private static List<InetAddress> interfaceAddresses() {
    final List<InetAddress> out = new ArrayList<>();
    try {
      for (final NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        if (nif.isUp()) {
          for (final InetAddress a : Collections.list(nif.getInetAddresses())) {
            if (!a.isLinkLocalAddress()) {
              out.add(a);
            }
          }
        }
      }
    } catch (final SocketException e) {
      return List.of();
    }
    return out;
  }
}
