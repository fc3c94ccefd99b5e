package io.tensorlink.p2p.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tensorlink.p2p.peer.PeerId;
import io.tensorlink.p2p.util.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * Golden vectors: the Ed25519 key is the peer-ID spec's test vector; peer IDs, public keys and
 * signatures were computed by js-libp2p (@libp2p/crypto 5.1.23) from the same private keys.
 */
class KeysTest {
  private static final HexFormat HEX = HexFormat.of();
  private static final byte[] MESSAGE = "tensorlink".getBytes(StandardCharsets.UTF_8);

  static final String ED_PRIV =
      "080112407e0830617c4a7de83925dfb2694556b12936c477a0e1feb2e148ec9da60fee7d1ed1e8fae2c4a144b8be8fd4b47bf3d3b34b871c3cacf6010f0e42d474fce27e";
  static final String ED_PUB = "080112201ed1e8fae2c4a144b8be8fd4b47bf3d3b34b871c3cacf6010f0e42d474fce27e";
  static final String ED_PEER = "12D3KooWBtg3aaRMjxwedh83aGiUkwSxDwUZkzuJcfaqUmo7R3pq";
  static final String ED_SIG =
      "beffb1f968ca7263b77670bbdb923275ca5c1ad83131224d4d623d66ab6efd65e7b55b867cc9e0cc40d3ffc26b270660cf2dcdbc5b612052ee6b836f92020d0a";

  static final String K1_PRIV = "08021220358f15db8c2014d570e8e3a622454e2273975a3cca443ec0c45375b13d381d18";
  static final String K1_PUB = "08021221029c0ce5d53646ed47112560297a3e59b78b8cbd4bae37c7a0c236eeb91d0fbeaf";
  static final String K1_PEER = "16Uiu2HAm5vpzEwJ41kQmnwDu9moFusdc16wV1oCUd1AHLgFgPpKY";
  static final String K1_SIG =
      "3044022005203d6a6c537aaff2afe665f3bf5bc0810213267a354bafe0ef723c8407fc7b022031aeb3f4efc921f2e53b2b9d5889f24589986c5a7311837c0b30a3df0e2f4ec7";

  @Test
  void ed25519_matchesJsVectors() {
    final PrivKey key = Keys.unmarshalPrivate(HEX.parseHex(ED_PRIV));
    assertThat(key.type()).isEqualTo(KeyType.ED25519);
    assertThat(HEX.formatHex(key.marshal())).isEqualTo(ED_PRIV);
    assertThat(HEX.formatHex(key.publicKey().marshal())).isEqualTo(ED_PUB);
    assertThat(PeerId.fromPublicKey(key.publicKey()).toBase58()).isEqualTo(ED_PEER);
    assertThat(HEX.formatHex(key.sign(MESSAGE))).isEqualTo(ED_SIG);
    assertThat(Keys.unmarshalPublic(HEX.parseHex(ED_PUB)).verify(MESSAGE, HEX.parseHex(ED_SIG))).isTrue();
  }

  @Test
  void secp256k1_matchesJsVectors() {
    final PrivKey key = Keys.unmarshalPrivate(HEX.parseHex(K1_PRIV));
    assertThat(key.type()).isEqualTo(KeyType.SECP256K1);
    assertThat(HEX.formatHex(key.marshal())).isEqualTo(K1_PRIV);
    assertThat(HEX.formatHex(key.publicKey().marshal())).isEqualTo(K1_PUB);
    assertThat(PeerId.fromPublicKey(key.publicKey()).toBase58()).isEqualTo(K1_PEER);
    // RFC 6979 with low S is deterministic, so our signature equals js's byte for byte.
    assertThat(HEX.formatHex(key.sign(MESSAGE))).isEqualTo(K1_SIG);
    assertThat(Keys.unmarshalPublic(HEX.parseHex(K1_PUB)).verify(MESSAGE, HEX.parseHex(K1_SIG))).isTrue();
  }

  @Test
  void shouldRejectTamperedSignaturesAndMessages() {
    for (final KeyType type : KeyType.values()) {
      final PrivKey key = Keys.generate(type);
      final byte[] sig = key.sign(MESSAGE);
      assertThat(key.publicKey().verify(MESSAGE, sig)).as("%s valid", type).isTrue();
      final byte[] bad = sig.clone();
      bad[bad.length - 1] ^= 1;
      assertThat(key.publicKey().verify(MESSAGE, bad)).as("%s tampered sig", type).isFalse();
      assertThat(key.publicKey().verify("other".getBytes(StandardCharsets.UTF_8), sig)).as("%s other msg", type).isFalse();
      assertThat(key.publicKey().verify(MESSAGE, new byte[3])).as("%s garbage sig", type).isFalse();
      assertThat(Keys.unmarshalPublic(key.publicKey().marshal())).isEqualTo(key.publicKey());
      assertThat(Keys.unmarshalPrivate(key.marshal()).publicKey()).isEqualTo(key.publicKey());
    }
  }

  @Test
  void shouldAcceptLegacy96ByteEd25519AndBareSeed() {
    final byte[] raw = Keys.unmarshalPrivate(HEX.parseHex(ED_PRIV)).raw();
    final byte[] legacy = new byte[96];
    System.arraycopy(raw, 0, legacy, 0, 64);
    System.arraycopy(raw, 32, legacy, 64, 32);
    assertThat(Ed25519PrivKey.fromRaw(legacy).publicKey().raw()).isEqualTo(java.util.Arrays.copyOfRange(raw, 32, 64));
    assertThat(Ed25519PrivKey.fromRaw(java.util.Arrays.copyOf(raw, 32)).publicKey().raw())
        .isEqualTo(java.util.Arrays.copyOfRange(raw, 32, 64));
    legacy[95] ^= 1;
    assertThatThrownBy(() -> Ed25519PrivKey.fromRaw(legacy)).hasMessageContaining("differ");
  }

  @Test
  void shouldNameTheDefectInMalformedKeys() {
    assertThatThrownBy(() -> Keys.unmarshalPublic(HEX.parseHex("0800120100")))
        .isInstanceOf(MalformedInputException.class)
        .hasMessageContaining("RSA");
    assertThatThrownBy(() -> Keys.unmarshalPublic(HEX.parseHex("0801")))
        .isInstanceOf(MalformedInputException.class)
        .hasMessageContaining("Data");
    assertThatThrownBy(() -> Keys.unmarshalPublic(HEX.parseHex("080112031234")))
        .isInstanceOf(MalformedInputException.class)
        .hasMessageContaining("malformed");
    assertThatThrownBy(() -> Keys.unmarshalPublic(HEX.parseHex("08011203010203")))
        .isInstanceOf(MalformedInputException.class)
        .hasMessageContaining("32 bytes");
    assertThatThrownBy(() -> Keys.unmarshalPublic(HEX.parseHex("08021221" + "05" + "00".repeat(32))))
        .isInstanceOf(MalformedInputException.class)
        .hasMessageContaining("secp256k1");
    assertThatThrownBy(() -> Keys.unmarshalPrivate(HEX.parseHex("08021220" + "00".repeat(32))))
        .isInstanceOf(MalformedInputException.class)
        .hasMessageContaining("out of range");
  }
}
