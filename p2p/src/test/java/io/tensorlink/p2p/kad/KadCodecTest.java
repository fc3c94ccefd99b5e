package io.tensorlink.p2p.kad;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tensorlink.p2p.crypto.KeyType;
import io.tensorlink.p2p.crypto.Keys;
import io.tensorlink.p2p.multiaddr.Multiaddr;
import io.tensorlink.p2p.peer.PeerId;
import io.tensorlink.p2p.util.MalformedInputException;
import io.tensorlink.p2p.util.Protobufs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class KadCodecTest {
  private static final PeerId PEER = PeerId.fromPublicKey(Keys.generate(KeyType.ED25519).publicKey());

  @Test
  void everyFieldSurvivesARoundTrip() {
    final KadPeer peer =
        new KadPeer(PEER, List.of(Multiaddr.parse("/ip4/10.0.0.1/tcp/4001")), KadPeer.ConnectionType.CONNECTED);
    final KadMessage message =
        new KadMessage(
            KadMessage.Type.GET_PROVIDERS,
            KadDht.contentKey(new byte[] {1, 2, 3}),
            Optional.of(new KadRecord("/pk/x".getBytes(StandardCharsets.UTF_8), new byte[] {9}, "2026-12-07T05:00:00Z")),
            List.of(peer),
            List.of(peer, new KadPeer(PEER, List.of(), KadPeer.ConnectionType.NOT_CONNECTED)));
    assertThat(KadCodec.decode(KadCodec.encode(message))).isEqualTo(message);
  }

  @Test
  void aMissingTypeIsPutValueAsProto3Defaults() throws IOException {
    final byte[] bytes = Protobufs.encode(out -> out.writeByteArray(2, new byte[] {1}));
    assertThat(KadCodec.decode(bytes).type()).isEqualTo(KadMessage.Type.PUT_VALUE);
  }

  @Test
  void unknownFieldsAreSkippedAndUnparseableAddressesDropped() throws IOException {
    final byte[] peer =
        Protobufs.encode(
            out -> {
              out.writeByteArray(1, PEER.bytes());
              out.writeByteArray(2, new byte[] {(byte) 0xcc, 0x03}); // quic-v1, which we do not parse
              out.writeByteArray(2, Multiaddr.parse("/ip4/1.2.3.4/tcp/5").bytes());
            });
    final byte[] bytes =
        Protobufs.encode(
            out -> {
              out.writeEnum(1, 4);
              out.writeInt32(10, 7); // clusterLevelRaw
              out.writeString(99, "future field");
              out.writeByteArray(8, peer);
            });
    final KadMessage m = KadCodec.decode(bytes);
    assertThat(m.type()).isEqualTo(KadMessage.Type.FIND_NODE);
    assertThat(m.closerPeers().get(0).addresses()).containsExactly(Multiaddr.parse("/ip4/1.2.3.4/tcp/5"));
  }

  @Test
  void oversizeInputsAreRejectedNamingTheLimit() throws IOException {
    assertThatThrownBy(() -> KadCodec.decode(new byte[KadCodec.MAX_MESSAGE + 1]))
        .isInstanceOf(MalformedInputException.class)
        .hasMessageContaining("exceeds " + KadCodec.MAX_MESSAGE);
    final byte[] bigKey = Protobufs.encode(out -> out.writeByteArray(2, new byte[KadCodec.MAX_KEY + 1]));
    assertThatThrownBy(() -> KadCodec.decode(bigKey)).hasMessageContaining("kad key of 513 bytes exceeds 512");
    final byte[] record = Protobufs.encode(out -> out.writeByteArray(2, new byte[KadCodec.MAX_VALUE + 1]));
    final byte[] bigValue = Protobufs.encode(out -> out.writeByteArray(3, record));
    assertThatThrownBy(() -> KadCodec.decode(bigValue)).hasMessageContaining("record value of 16385 bytes exceeds 16384");
    final byte[] peer = Protobufs.encode(out -> out.writeByteArray(1, PEER.bytes()));
    final byte[] crowd =
        Protobufs.encode(
            out -> {
              for (int i = 0; i <= KadCodec.MAX_PEERS; i++) {
                out.writeByteArray(8, peer);
              }
            });
    assertThatThrownBy(() -> KadCodec.decode(crowd)).hasMessageContaining("more than 40 closerPeers");
  }

  @Test
  void badEnumsPeersAndTruncationAreRejected() throws IOException {
    assertThatThrownBy(() -> KadCodec.decode(Protobufs.encode(out -> out.writeEnum(1, 6)))).hasMessageContaining("message type 6 is unknown");
    final byte[] noId = Protobufs.encode(out -> out.writeByteArray(2, Multiaddr.parse("/ip4/1.2.3.4/tcp/5").bytes()));
    assertThatThrownBy(() -> KadCodec.decode(Protobufs.encode(out -> out.writeByteArray(9, noId))))
        .hasMessageContaining("providerPeers entry has no peer id");
    final byte[] badId = Protobufs.encode(out -> out.writeByteArray(1, new byte[] {0x55, 1, 2}));
    assertThatThrownBy(() -> KadCodec.decode(Protobufs.encode(out -> out.writeByteArray(8, badId))))
        .hasMessageContaining("closerPeers entry has an invalid peer id");
    final byte[] badConnection = Protobufs.encode(out -> { out.writeByteArray(1, PEER.bytes()); out.writeEnum(3, 9); });
    assertThatThrownBy(() -> KadCodec.decode(Protobufs.encode(out -> out.writeByteArray(8, badConnection))))
        .hasMessageContaining("connection type 9 is unknown");
    final byte[] whole = KadCodec.encode(KadMessage.request(KadMessage.Type.FIND_NODE, PEER.bytes()));
    assertThatThrownBy(() -> KadCodec.decode(java.util.Arrays.copyOf(whole, whole.length - 1)))
        .isInstanceOf(MalformedInputException.class)
        .hasMessageContaining("kad message is malformed");
  }

  @Test
  void theEncoderRefusesWhatTheDecoderWouldRefuse() {
    final KadPeer fat = new KadPeer(PEER, Collections.nCopies(16, Multiaddr.parse("/dns4/" + "a".repeat(200) + "/tcp/1")), KadPeer.ConnectionType.CONNECTED);
    final KadMessage huge = new KadMessage(KadMessage.Type.FIND_NODE, new byte[] {1}, Optional.empty(), Collections.nCopies(40, fat), List.of());
    assertThatThrownBy(() -> KadCodec.encode(huge)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("exceeds");
  }

}
