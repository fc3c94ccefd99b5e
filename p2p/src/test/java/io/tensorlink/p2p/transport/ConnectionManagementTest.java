package io.tensorlink.p2p.transport;

import static io.tensorlink.p2p.host.Conditions.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tensorlink.p2p.crypto.KeyType;
import io.tensorlink.p2p.crypto.Keys;
import io.tensorlink.p2p.crypto.PrivKey;
import io.tensorlink.p2p.host.Connection;
import io.tensorlink.p2p.host.ConnectionListener;
import io.tensorlink.p2p.host.DialBackoffException;
import io.tensorlink.p2p.host.Host;
import io.tensorlink.p2p.host.HostConfig;
import io.tensorlink.p2p.multiaddr.Multiaddr;
import io.tensorlink.p2p.peer.PeerId;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Connection caps, dial backoff, idle close, keepalive, disconnect and reconnect. */
class ConnectionManagementTest {
  private static Connection dial(final Host from, final Host to) {
    return from.dial(to.listenAddresses().get(0).withPeerId(to.peerId())).orTimeout(10, TimeUnit.SECONDS).join();
  }

  @Test
  void shouldRefuseConnectionsBeyondTheCap() throws Exception {
    try (Host server = Hosts.create(HostConfig.loopback().toBuilder().maxConnections(1).build());
        Host a = Hosts.create(HostConfig.loopback());
        Host b = Hosts.create(HostConfig.loopback())) {
      server.start().join();
      dial(a, server);
      waitUntil(() -> server.connections().size() == 1);
      try {
        final Connection refused = dial(b, server);
        // The TCP accept may race the refusal: if the dial completed, the server closes it at once.
        refused.closeFuture().get(10, TimeUnit.SECONDS);
      } catch (final CompletionException expected) {
        assertThat(expected).hasMessageContaining("closed");
      }
      assertThat(server.connections()).hasSize(1);
      assertThat(server.connection(a.peerId())).isPresent();
    }
  }

  @Test
  void shouldBackOffAfterFailedDialsAndResetOnSuccess() throws Exception {
    final PrivKey key = Keys.generate(KeyType.ED25519);
    final PeerId target = PeerId.fromPublicKey(key.publicKey());
    final int port;
    try (ServerSocket probe = new ServerSocket(0)) {
      port = probe.getLocalPort(); // free port, nobody listening after close
    }
    final Multiaddr addr = Multiaddr.parse("/ip4/127.0.0.1/tcp/" + port).withPeerId(target);
    try (Host client =
        Hosts.create(HostConfig.loopback().toBuilder().dialBackoff(Duration.ofMillis(500), Duration.ofSeconds(5)).build())) {
      assertThatThrownBy(() -> client.dial(addr).join()).hasMessageContaining("cannot connect");
      assertThatThrownBy(() -> client.dial(addr).join()).hasCauseInstanceOf(DialBackoffException.class);
      Thread.sleep(600);
      try (Host server =
          Hosts.create(HostConfig.builder(key).listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/" + port)).build())) {
        server.start().join();
        assertThat(client.dial(addr).orTimeout(10, TimeUnit.SECONDS).join().remotePeer()).isEqualTo(target);
      }
    }
  }

  @Test
  void shouldCloseIdleConnectionsButKeepBusyOnes() throws Exception {
    final List<String> events = new CopyOnWriteArrayList<>();
    try (Host server = Hosts.create(HostConfig.loopback().toBuilder().idleTimeout(Duration.ofMillis(400)).build());
        Host client = Hosts.create(HostConfig.loopback())) {
      server.setStreamHandler("/hold/1", s -> s.setListener((st, d) -> {}));
      server.addConnectionListener(
          new ConnectionListener() {
            @Override
            public void onDisconnected(final Connection c) {
              events.add("idle-closed");
            }
          });
      server.start().join();
      final Connection busy = dial(client, server);
      busy.newStream("/hold/1").orTimeout(10, TimeUnit.SECONDS).join();
      Thread.sleep(1500);
      assertThat(busy.isOpen()).as("a connection with an open stream is not idle").isTrue();
      assertThat(events).isEmpty();
      try (Host other = Hosts.create(HostConfig.loopback())) {
        final Connection idle = dial(other, server);
        idle.closeFuture().get(10, TimeUnit.SECONDS);
        waitUntil(() -> events.contains("idle-closed"));
        assertThat(busy.isOpen()).isTrue();
      }
    }
  }

  @Test
  void aPeerThatNeverAnswersIdentifyDoesNotPinAStream() throws Exception {
    try (Host server = Hosts.create(HostConfig.loopback());
        Host client = Hosts.create(HostConfig.loopback().toBuilder().streamNegotiationTimeout(Duration.ofMillis(500)).build())) {
      // A silent identify: accepts the stream, never writes, never closes.
      server.setStreamHandler(io.tensorlink.p2p.protocol.identify.IdentifyService.PROTOCOL, s -> s.setListener((st, d) -> {}));
      server.start().join();
      final Connection c = dial(client, server);
      Thread.sleep(300);
      assertThat(c.streamCount()).as("identify stream still waiting").isEqualTo(1);
      waitUntil(() -> c.streamCount() == 0);
      assertThat(client.identifyInfo(server.peerId())).isEmpty();
      assertThat(c.isOpen()).isTrue();
    }
  }

  @Test
  void keepAlivePingsKeepAHealthyConnectionOpen() throws Exception {
    final HostConfig fastPings = HostConfig.loopback().toBuilder().keepAliveInterval(Duration.ofMillis(100)).build();
    try (Host server = Hosts.create(fastPings); Host client = Hosts.create(HostConfig.loopback().toBuilder().keepAliveInterval(Duration.ofMillis(100)).build())) {
      server.start().join();
      final Connection c = dial(client, server);
      Thread.sleep(1200); // a dozen keepalive rounds in both directions
      assertThat(c.isOpen()).isTrue();
      assertThat(client.ping(server.peerId()).get(10, TimeUnit.SECONDS)).isPositive();
    }
  }

  @Test
  void shouldReconnectAfterDisconnectsAndPeerRestarts() throws Exception {
    final PrivKey serverKey = Keys.generate(KeyType.ED25519);
    final List<String> events = new CopyOnWriteArrayList<>();
    try (Host client = Hosts.create(HostConfig.loopback())) {
      client.addConnectionListener(
          new ConnectionListener() {
            @Override
            public void onConnected(final Connection c) {
              events.add("up");
            }

            @Override
            public void onDisconnected(final Connection c) {
              events.add("down");
            }
          });
      Multiaddr address = null;
      for (int round = 0; round < 3; round++) {
        final HostConfig.Builder b = HostConfig.builder(serverKey);
        try (Host server = Hosts.create(address == null ? b.listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0")).build() : b.listen(address).build())) {
          address = server.start().join().get(0);
          for (int i = 0; i < 2; i++) {
            final Connection c = client.dial(address.withPeerId(server.peerId())).orTimeout(10, TimeUnit.SECONDS).join();
            assertThat(client.ping(server.peerId()).get(10, TimeUnit.SECONDS)).isPositive();
            if (i == 0) {
              c.close().get(10, TimeUnit.SECONDS); // we hang up
            }
          }
        } // the peer goes away with our second connection still open
        waitUntil(() -> client.connections().isEmpty());
      }
      waitUntil(() -> events.size() == 12);
      assertThat(String.join(",", events)).isEqualTo("up,down,up,down,".repeat(3).replaceAll(",$", ""));
    }
  }
}
