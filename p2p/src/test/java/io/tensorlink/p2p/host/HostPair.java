package io.tensorlink.p2p.host;

import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/** Two started hosts on loopback, the client connected to the server. */
final class HostPair implements AutoCloseable {
  final Host server;
  final Host client;
  final Connection connection;

  HostPair(final UnaryOperator<HostConfig.Builder> serverConfig) {
    server = Host.create(serverConfig.apply(HostConfig.loopback().toBuilder()).build());
    client = Host.create(HostConfig.loopback());
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
