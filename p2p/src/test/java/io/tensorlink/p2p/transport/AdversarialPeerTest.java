package io.tensorlink.p2p.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.tensorlink.p2p.crypto.KeyType;
import io.tensorlink.p2p.crypto.Keys;
import io.tensorlink.p2p.host.Host;
import io.tensorlink.p2p.host.HostConfig;
import io.tensorlink.p2p.multiaddr.Multiaddr;
import io.tensorlink.p2p.multistream.MultistreamNegotiator;
import io.tensorlink.p2p.yamux.YamuxHeader;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Misbehaving peers over real TCP, at every layer of the upgrade. Each must get its connection
 * closed with a logged reason, and the node must keep serving well-behaved peers.
 */
class AdversarialPeerTest {
  private Host host;
  private InetSocketAddress address;
  private LogCapture logs;

  @BeforeEach
  void start() {
    logs = new LogCapture();
    host =
        Hosts.create(
            HostConfig.builder(Keys.generate(KeyType.ED25519))
                .listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0"))
                .handshakeTimeout(Duration.ofMillis(800))
                .build());
    address = host.start().join().get(0).toTcpSocketAddress();
  }

  @AfterEach
  void stop() {
    try {
      assertNodeStillServes();
    } finally {
      host.close();
      logs.close();
    }
  }

  private void assertNodeStillServes() {
    try (Host client = Hosts.create(HostConfig.loopback())) {
      client.start().join();
      client.dial(host.listenAddresses().get(0).withPeerId(host.peerId())).orTimeout(10, TimeUnit.SECONDS).join();
      assertThat(client.ping(host.peerId()).orTimeout(10, TimeUnit.SECONDS).join()).isPositive();
    }
  }

  @Test
  void randomBytesBeforeNegotiation() throws Exception {
    final Random random = new Random(42);
    for (int i = 0; i < 6; i++) {
      try (RawPeer peer = new RawPeer(address)) {
        final byte[] garbage = new byte[1 + random.nextInt(200)];
        random.nextBytes(garbage);
        garbage[0] = (byte) (garbage[0] | 0x40); // a length the header can never have
        peer.send(garbage);
        assertThat(peer.closedWithin(5000)).as("garbage %d closes the connection", i).isTrue();
      }
    }
    assertThat(logs.warnings()).anyMatch(w -> w.contains("closing connection") && w.contains("multistream"));
  }

  @Test
  void oversizedMultistreamMessage() throws Exception {
    try (RawPeer peer = new RawPeer(address)) {
      peer.send(new byte[] {(byte) 0x88, 0x27}); // varint 5000 > 1024
      assertThat(peer.closedWithin(5000)).isTrue();
    }
    assertThat(logs.warnings()).anyMatch(w -> w.contains("outside 1..1024"));
  }

  @Test
  void unknownSecurityProtocolIsRefusedThenTimesOut() throws Exception {
    try (RawPeer peer = new RawPeer(address)) {
      peer.send(RawPeer.multistream(MultistreamNegotiator.HEADER, "/tls/1.0.0"));
      // The node answers "na" and waits; the handshake timeout then closes it.
      assertThat(peer.closedWithin(6000)).isTrue();
    }
  }

  @Test
  void garbageNoiseHandshake() throws Exception {
    final Random random = new Random(7);
    for (int i = 0; i < 3; i++) {
      try (RawPeer peer = new RawPeer(address)) {
        peer.send(RawPeer.multistream(MultistreamNegotiator.HEADER, "/noise"));
        final byte[] msg = new byte[34 + random.nextInt(100)];
        random.nextBytes(msg);
        msg[0] = 0;
        msg[1] = (byte) (msg.length - 2); // a well-formed frame with nonsense inside
        peer.send(msg);
        assertThat(peer.closedWithin(5000)).isTrue();
      }
    }
  }

  @Test
  void tamperedTransportFrame() throws Exception {
    try (RawPeer peer = new RawPeer(address)) {
      peer.secure(host.peerId());
      final byte[] forged = new byte[2 + 40];
      forged[1] = 40;
      new Random(1).nextBytes(java.util.Arrays.copyOfRange(forged, 2, 42));
      forged[10] = 1;
      peer.send(forged);
      assertThat(peer.closedWithin(5000)).isTrue();
    }
    assertThat(logs.warnings()).anyMatch(w -> w.contains("failed authentication"));
  }

  @Test
  void yamuxProtocolViolationsGetGoAway() throws Exception {
    final byte[][] violations = {
      header(1, YamuxHeader.TYPE_DATA, 0, 1, 0), // bad version
      header(0, 9, 0, 1, 0), // unknown type
      header(0, YamuxHeader.TYPE_WINDOW_UPDATE, YamuxHeader.FLAG_SYN, 2, 0), // listener parity from the dialer
      header(0, YamuxHeader.TYPE_DATA, YamuxHeader.FLAG_SYN, 1, 17 << 20), // beyond the 16 MiB window we grant
    };
    for (final byte[] violation : violations) {
      try (RawPeer peer = new RawPeer(address)) {
        peer.secure(host.peerId());
        peer.sendEncrypted(RawPeer.multistream(MultistreamNegotiator.HEADER, "/yamux/1.0.0"));
        peer.readEncrypted(); // header + yamux echo (possibly more frames follow)
        peer.sendEncrypted(violation);
        assertThat(peer.closedWithin(5000)).isTrue();
      }
    }
    assertThat(logs.warnings()).filteredOn(w -> w.contains("yamux protocol error")).hasSize(violations.length);
    assertThat(logs.warnings()).anyMatch(w -> w.contains("exceeds the window"));
  }

  private static byte[] header(final int version, final int type, final int flags, final int id, final long length) {
    final ByteBuf b = Unpooled.buffer(12);
    YamuxHeader.write(b, type, flags, id, length);
    b.setByte(0, version);
    final byte[] out = new byte[12];
    b.readBytes(out);
    return out;
  }
}
