package io.tensorlink.p2p.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tensorlink.p2p.crypto.Ed25519PrivKey;
import io.tensorlink.p2p.crypto.KeyType;
import io.tensorlink.p2p.crypto.Keys;
import io.tensorlink.p2p.crypto.PrivKey;
import io.tensorlink.p2p.multiaddr.Multiaddr;
import io.tensorlink.p2p.peer.PeerId;
import io.tensorlink.p2p.util.MalformedInputException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Signed peer records against the vector js-libp2p sealed ({@code p2p/interop/record-golden.mjs}). */
class SignedPeerRecordTest {
  private static final HexFormat HEX = HexFormat.of();

  private static Map<String, String> golden() throws IOException {
    try (InputStream in = SignedPeerRecordTest.class.getResourceAsStream("/record/js-peer-record.json")) {
      final Matcher m = Pattern.compile("\"(\\w+)\":\\s*\"([^\"]*)\"").matcher(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      final java.util.HashMap<String, String> fields = new java.util.HashMap<>();
      while (m.find()) {
        fields.put(m.group(1), m.group(2));
      }
      return fields;
    }
  }

  @Test
  void weSealTheSameBytesAsJsAndOpenWhatJsSealed() throws IOException {
    final Map<String, String> g = golden();
    final PrivKey key = Ed25519PrivKey.fromSeed(HEX.parseHex(g.get("seed")));
    final List<Multiaddr> addrs = Arrays.stream(g.get("addrs").split(" ")).map(Multiaddr::parse).toList();
    final SignedPeerRecord ours = SignedPeerRecord.seal(key, Long.parseLong(g.get("seq")), addrs);
    assertThat(HEX.formatHex(ours.record().encode())).isEqualTo(g.get("payload"));
    assertThat(HEX.formatHex(ours.bytes())).isEqualTo(g.get("envelope"));

    final SignedPeerRecord theirs = SignedPeerRecord.open(HEX.parseHex(g.get("envelope")));
    assertThat(theirs.peerId()).isEqualTo(PeerId.fromString(g.get("peerId")));
    assertThat(theirs.record().seq()).isEqualTo(Long.parseLong(g.get("seq")));
    assertThat(theirs.record().addresses()).containsExactlyElementsOf(addrs);
  }

  @Test
  void anyAlteredByteOrAnotherDomainBreaksTheSignature() throws IOException {
    final byte[] envelope = HEX.parseHex(golden().get("envelope"));
    final byte[] badSignature = envelope.clone();
    badSignature[badSignature.length - 1] ^= 1;
    assertThatThrownBy(() -> SignedPeerRecord.open(badSignature))
        .isInstanceOf(MalformedInputException.class)
        .hasMessageContaining("signature does not verify for domain libp2p-peer-record");
    final byte[] badPayload = envelope.clone();
    badPayload[100] ^= 1; // inside the payload's peer id / seq
    assertThatThrownBy(() -> SignedPeerRecord.open(badPayload)).isInstanceOf(MalformedInputException.class);
    assertThatThrownBy(() -> Envelope.open(envelope, "another-domain")).hasMessageContaining("does not verify for domain another-domain");
  }

  @Test
  void aRecordSignedByAnotherPeerOrOfAnotherTypeIsRefused() {
    final PrivKey mallory = Keys.generate(KeyType.ED25519);
    final PeerId victim = PeerId.fromPublicKey(Keys.generate(KeyType.ED25519).publicKey());
    final byte[] framed =
        new PeerRecord(victim, 1, List.of(Multiaddr.parse("/ip4/6.6.6.6/tcp/1"))).encode();
    final Envelope forged = Envelope.seal(mallory, SignedPeerRecord.DOMAIN, new byte[] {3, 1}, framed);
    assertThatThrownBy(() -> SignedPeerRecord.open(forged.bytes())).hasMessageContaining("is signed by another key");
    final Envelope otherType = Envelope.seal(mallory, SignedPeerRecord.DOMAIN, new byte[] {3, 2}, framed);
    assertThatThrownBy(() -> SignedPeerRecord.open(otherType.bytes())).hasMessageContaining("payload type is not 0x0301");
  }

  @Test
  void structuralDefectsAreNamed() {
    assertThatThrownBy(() -> SignedPeerRecord.open(new byte[Envelope.MAX_BYTES + 1])).hasMessageContaining("exceeds 4096");
    assertThatThrownBy(() -> SignedPeerRecord.open(new byte[] {0x12, 0x02, 0x03, 0x01})).hasMessageContaining("lacks its public key");
    final byte[] keyOnly = Arrays.copyOf(new byte[] {0x0a, 0x24}, 2 + 0x24);
    System.arraycopy(Keys.generate(KeyType.ED25519).publicKey().marshal(), 0, keyOnly, 2, 0x24);
    assertThatThrownBy(() -> SignedPeerRecord.open(keyOnly)).hasMessageContaining("lacks its signature");
    assertThatThrownBy(() -> SignedPeerRecord.open(new byte[] {0x0a, 0x7f})).hasMessageContaining("envelope is malformed");
    assertThatThrownBy(() -> PeerRecord.decode(new byte[] {0x10, 0x01})).hasMessageContaining("peer record has no peer id");
    assertThatThrownBy(() -> new PeerRecord(PeerId.fromPublicKey(Keys.generate(KeyType.ED25519).publicKey()), 1,
            java.util.Collections.nCopies(33, Multiaddr.parse("/ip4/1.1.1.1/tcp/1"))))
        .hasMessageContaining("at most 32 addresses");
  }

  @Test
  void addressesOfUnknownTransportsAreDroppedNotFatal() {
    final PeerId id = PeerId.fromPublicKey(Keys.generate(KeyType.ED25519).publicKey());
    final byte[] good = new PeerRecord(id, 9, List.of(Multiaddr.parse("/ip4/1.2.3.4/tcp/5"))).encode();
    final byte[] quic = {0x1a, 0x04, 0x0a, 0x02, (byte) 0xcc, 0x03};
    final byte[] both = Arrays.copyOf(good, good.length + quic.length);
    System.arraycopy(quic, 0, both, good.length, quic.length);
    assertThat(PeerRecord.decode(both).addresses()).containsExactly(Multiaddr.parse("/ip4/1.2.3.4/tcp/5"));
  }
}
