package io.tensorlink.p2p.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tensorlink.p2p.crypto.KeyType;
import io.tensorlink.p2p.crypto.Keys;
import io.tensorlink.p2p.crypto.PrivKey;
import io.tensorlink.p2p.util.Base58;
import io.tensorlink.p2p.util.MalformedInputException;
import java.util.HexFormat;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class PeerIdTest {
  @Test
  void shouldParseBase58AndCidFormsComputedByJs() {
    // From js-libp2p: peerId.toString() and toCID().toString() of the spec's Ed25519 test key.
    final PeerId a = PeerId.fromString("12D3KooWBtg3aaRMjxwedh83aGiUkwSxDwUZkzuJcfaqUmo7R3pq");
    final PeerId b = PeerId.fromString("bafzaajaiaejcahwr5d5ofrfbis4l5d6uwr57hu5tjodrypfm6yaq6dsc2r2pzyt6");
    assertThat(a).isEqualTo(b);
    assertThat(a.toCidString()).isEqualTo("bafzaajaiaejcahwr5d5ofrfbis4l5d6uwr57hu5tjodrypfm6yaq6dsc2r2pzyt6");
    assertThat(HexFormat.of().formatHex(a.publicKey().orElseThrow().raw()))
        .isEqualTo("1ed1e8fae2c4a144b8be8fd4b47bf3d3b34b871c3cacf6010f0e42d474fce27e");
  }

  @Test
  void shouldAcceptSha256PeerIdsWithoutInlineKey() {
    final PeerId legacy = PeerId.fromString("QmYyQSo1c1Ym7orWxLYvCrM2EmxFTANf8wXmmE7DWjhx5N");
    assertThat(legacy.publicKey()).isEmpty();
    assertThat(legacy.toBase58()).isEqualTo("QmYyQSo1c1Ym7orWxLYvCrM2EmxFTANf8wXmmE7DWjhx5N");
  }

  @Test
  void shouldStartWithTheWellKnownPrefixes() {
    assertThat(PeerId.fromPublicKey(Keys.generate(KeyType.ED25519).publicKey()).toBase58()).startsWith("12D3KooW");
    assertThat(PeerId.fromPublicKey(Keys.generate(KeyType.SECP256K1).publicKey()).toBase58()).startsWith("16Uiu2");
  }

  @Test
  void shouldRejectMalformedIds() {
    assertThatThrownBy(() -> PeerId.fromString("")).isInstanceOf(MalformedInputException.class);
    assertThatThrownBy(() -> PeerId.fromString("12D3KooW0OIl"))
        .isInstanceOf(MalformedInputException.class)
        .hasMessageContaining("base58");
    assertThatThrownBy(() -> PeerId.fromString("xyz")).hasMessageContaining("neither");
    assertThatThrownBy(() -> PeerId.fromBytes(new byte[] {0x12, 0x20, 1, 2})).hasMessageContaining("declares 32");
    assertThatThrownBy(() -> PeerId.fromBytes(new byte[] {0x11, 0x01, 1})).hasMessageContaining("unsupported multihash");
    assertThatThrownBy(() -> PeerId.fromBytes(new byte[] {0x00, 0x02, 0x08, 0x05})).isInstanceOf(MalformedInputException.class);
  }

  @Property(tries = 200)
  void base58RoundTrips(@ForAll final byte[] data) {
    assertThat(Base58.decode(Base58.encode(data))).isEqualTo(data);
  }

  @Property(tries = 20)
  void peerIdRoundTripsThroughTextAndBytes(@ForAll final boolean secp) {
    final PrivKey key = Keys.generate(secp ? KeyType.SECP256K1 : KeyType.ED25519);
    final PeerId id = PeerId.fromPublicKey(key.publicKey());
    assertThat(PeerId.fromString(id.toBase58())).isEqualTo(id);
    assertThat(PeerId.fromString(id.toCidString())).isEqualTo(id);
    assertThat(PeerId.fromBytes(id.bytes())).isEqualTo(id);
    assertThat(id.publicKey()).contains(key.publicKey());
    assertThat(id.matches(key.publicKey())).isTrue();
  }
}
