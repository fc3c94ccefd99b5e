package io.tensorlink.p2p.host;

import static io.tensorlink.p2p.host.Conditions.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.tensorlink.p2p.transport.Hosts;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Two Java hosts over real loopback TCP: Noise, yamux, identify, ping, custom protocols. */
class HostLoopbackTest {
  private static final String ECHO = "/test/echo/1.0.0";

  private Host server;
  private Host client;

  @BeforeEach
  void start() {
    server = Hosts.create(HostConfig.loopback());
    client = Hosts.create(HostConfig.loopback());
    server.setStreamHandler(ECHO, HostLoopbackTest::echo);
    server.start().join();
    client.start().join();
  }

  @AfterEach
  void stop() {
    client.close();
    server.close();
  }

  static void echo(final Stream stream) {
    stream.setListener(
        new StreamListener() {
          @Override
          public void onData(final Stream s, final ByteBuf data) {
            s.writeAndFlush(data.retain());
          }

          @Override
          public void onRemoteClosed(final Stream s) {
            s.closeWrite();
          }
        });
  }

  private Connection connect() {
    return client.dial(server.listenAddresses().get(0).withPeerId(server.peerId())).orTimeout(10, TimeUnit.SECONDS).join();
  }

  @Test
  void shouldAuthenticatePeersBothWays() throws Exception {
    final Connection c = connect();
    assertThat(c.remotePeer()).isEqualTo(server.peerId());
    assertThat(c.isInitiator()).isTrue();
    waitUntil(() -> server.connection(client.peerId()).isPresent());
    assertThat(server.connection(client.peerId()).orElseThrow().isInitiator()).isFalse();
  }

  @Test
  void shouldDialDnsAddressesInTheRightFamily() {
    final int port = server.listenAddresses().get(0).toTcpSocketAddress().getPort();
    final Connection c =
        client
            .dial(io.tensorlink.p2p.multiaddr.Multiaddr.parse("/dns4/localhost/tcp/" + port).withPeerId(server.peerId()))
            .orTimeout(10, TimeUnit.SECONDS)
            .join();
    assertThat(c.remotePeer()).isEqualTo(server.peerId());
    assertThatThrownBy(
            () -> client.dial(io.tensorlink.p2p.multiaddr.Multiaddr.parse("/dns4/no-such-host.invalid/tcp/1")).orTimeout(10, TimeUnit.SECONDS).join())
        .hasMessageContaining("no-such-host.invalid");
  }

  @Test
  void shouldPingAndIdentify() throws Exception {
    connect();
    final Duration rtt = client.ping(server.peerId()).orTimeout(10, TimeUnit.SECONDS).join();
    assertThat(rtt).isPositive().isLessThan(Duration.ofSeconds(5));
    waitUntil(() -> client.identifyInfo(server.peerId()).isPresent());
    final IdentifyInfo info = client.identifyInfo(server.peerId()).orElseThrow();
    assertThat(info.protocols()).contains(ECHO, "/ipfs/id/1.0.0", "/ipfs/ping/1.0.0");
    assertThat(info.listenAddresses()).containsAll(server.listenAddresses());
    assertThat(info.publicKey()).contains(server.config().identity().publicKey());
    assertThat(info.agentVersion()).isEqualTo("tensorlink/0.1.0");
    assertThat(info.signedPeerRecord()).hasValueSatisfying(r -> {
      assertThat(r.peerId()).isEqualTo(server.peerId());
      assertThat(r.record().addresses()).containsAll(server.listenAddresses());
    });
  }

  @Test
  void shouldPushProtocolChangesToConnectedPeers() throws Exception {
    connect();
    waitUntil(() -> client.identifyInfo(server.peerId()).isPresent());
    assertThat(client.identifyInfo(server.peerId()).orElseThrow().protocols()).doesNotContain("/late/1.0.0");
    server.setStreamHandler("/late/1.0.0", s -> s.reset());
    waitUntil(() -> client.identifyInfo(server.peerId()).orElseThrow().supports("/late/1.0.0"));
    server.removeStreamHandler("/late/1.0.0");
    waitUntil(() -> !client.identifyInfo(server.peerId()).orElseThrow().supports("/late/1.0.0"));
    // Push streams end on both sides (nothing lingers half-closed).
    waitUntil(() -> client.connection(server.peerId()).orElseThrow().streamCount() == 0);
    waitUntil(() -> server.connection(client.peerId()).orElseThrow().streamCount() == 0);
  }

  @Test
  void closingTheHostFromItsOwnCallbackDoesNotDeadlock() throws Exception {
    final CompletableFuture<Void> closed = new CompletableFuture<>();
    server.setStreamHandler("/close-me/1.0.0", s -> {
      server.close(); // on the server's event loop
      closed.complete(null);
    });
    connect();
    client.newStream(server.peerId(), "/close-me/1.0.0");
    closed.get(10, TimeUnit.SECONDS);
    waitUntil(() -> client.connections().isEmpty());
  }

  @Test
  void shouldEchoOverCustomProtocol() {
    connect();
    final Stream s = client.newStream(server.peerId(), ECHO).orTimeout(10, TimeUnit.SECONDS).join();
    assertThat(s.protocol()).isEqualTo(ECHO);
    final StreamCollector collector = new StreamCollector(1 << 20);
    s.setListener(collector);
    s.writeAndFlush(Unpooled.copiedBuffer("hello yamux", StandardCharsets.UTF_8));
    s.closeWrite();
    final byte[] echoed = collector.result().orTimeout(10, TimeUnit.SECONDS).join();
    assertThat(new String(echoed, StandardCharsets.UTF_8)).isEqualTo("hello yamux");
    assertThat(s.closeFuture().orTimeout(10, TimeUnit.SECONDS).join()).isEqualTo(StreamCloseReason.NORMAL);
  }

  @Test
  void shouldFallBackToSecondProposalAndRefuseUnknown() {
    connect();
    final Stream s = client.newStream(server.peerId(), List.of("/nope/1.0.0", ECHO)).orTimeout(10, TimeUnit.SECONDS).join();
    assertThat(s.protocol()).isEqualTo(ECHO);
    final CompletableFuture<Stream> refused = client.newStream(server.peerId(), List.of("/nope/1.0.0", "/nope/2.0.0"));
    assertThatThrownBy(() -> refused.orTimeout(10, TimeUnit.SECONDS).join())
        .isInstanceOf(CompletionException.class)
        .hasCauseInstanceOf(ProtocolNotSupportedException.class);
  }

  @Test
  void shouldMoveManyMegabytesWithBackpressure() {
    connect();
    final Stream s = client.newStream(server.peerId(), ECHO).orTimeout(10, TimeUnit.SECONDS).join();
    final int total = 16 << 20;
    final StreamCollector collector = new StreamCollector(total);
    s.setListener(collector);
    final byte[] chunk = new byte[1 << 20];
    for (int i = 0; i < chunk.length; i++) {
      chunk[i] = (byte) (i * 31 + 7);
    }
    for (int i = 0; i < total / chunk.length; i++) {
      s.writeAndFlush(Unpooled.wrappedBuffer(chunk));
    }
    s.closeWrite();
    final byte[] echoed = collector.result().orTimeout(60, TimeUnit.SECONDS).join();
    assertThat(echoed).hasSize(total);
    for (int off = 0; off < total; off += chunk.length) {
      assertThat(java.util.Arrays.equals(echoed, off, off + chunk.length, chunk, 0, chunk.length)).as("chunk at %d", off).isTrue();
    }
  }
}
