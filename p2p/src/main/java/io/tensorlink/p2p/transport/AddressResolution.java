package io.tensorlink.p2p.transport;

import io.tensorlink.p2p.multiaddr.Multiaddr;
import io.tensorlink.p2p.multiaddr.MultiaddrException;
import io.tensorlink.p2p.multiaddr.Protocol;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Resolves {@code /dns*} multiaddrs off the event loop, honouring the address family: {@code dns4}
 * only yields IPv4, {@code dns6} only IPv6, {@code dns} either (IPv4 first).
 */
final class AddressResolution {
  private AddressResolution() {}

  static CompletableFuture<InetSocketAddress> resolve(final Multiaddr address, final InetSocketAddress target) {
    if (!target.isUnresolved()) {
      return CompletableFuture.completedFuture(target);
    }
    final Protocol family = address.components().get(0).protocol();
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            final InetAddress[] all = InetAddress.getAllByName(target.getHostString());
            return Arrays.stream(all)
                .filter(
                    a ->
                        switch (family) {
                          case DNS4 -> a instanceof Inet4Address;
                          case DNS6 -> a instanceof Inet6Address;
                          default -> true;
                        })
                .sorted((a, b) -> Boolean.compare(b instanceof Inet4Address, a instanceof Inet4Address))
                .findFirst()
                .map(a -> new InetSocketAddress(a, target.getPort()))
                .orElseThrow(() -> new MultiaddrException("no " + family.text() + " address for " + target.getHostString()));
          } catch (final UnknownHostException e) {
            throw new CompletionException(new MultiaddrException("cannot resolve " + address + ": " + e.getMessage(), e));
          }
        });
  }
}
