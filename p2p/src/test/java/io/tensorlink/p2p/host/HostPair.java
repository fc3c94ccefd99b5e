package io.tensorlink.p2p.host;

import io.tensorlink.p2p.transport.Hosts;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/** Two started hosts on loopback, the client connected to the server. */
final class HostPair implements AutoCloseable {
  final Host server;
  final Host client;
  final Connection connection;

  HostPair(final UnaryOperator<HostConfig.Builder> serverConfig) {
    server = Hosts.create(serverConfig.apply(HostConfig.loopback().toBuilder()).build());
    client = Hosts.create(HostConfig.loopback());
    server.start().join();
    client.start().join();
    connection = client.dial(server.listenAddresses().get(0).withPeerId(server.peerId())).orTimeout(10, TimeUnit.SECONDS).join();
  }

  Stream open(final String protocol) {
    return connection.newStream(protocol).orTimeout(10, TimeUnit.SECONDS).join();
  }

  @Override
  public void close() {
    client.close();
    server.close();
  }
}
