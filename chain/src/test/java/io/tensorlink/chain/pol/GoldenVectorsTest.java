package io.tensorlink.chain.pol;

import static org.assertj.core.api.Assertions.assertThat;

import io.tensorlink.chain.pol.wire.PolCodec;
import java.math.BigInteger;
import org.apache.tuweni.bytes.Bytes32;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Credentials;

/**
 * PROTOCOL.md's golden vectors V1 (step record), H1 (header) and S1 (sample), computed by this
 * implementation; the Solidity tests assert the same hex values (docs/pol.md lists them). The
 * values were also reproduced independently with Foundry's {@code cast} (abi-encode, keccak,
 * wallet sign --no-hash): the commands are in docs/pol.md.
 */
class GoldenVectorsTest {
  static final PolDomain DOMAIN = PolDomain.of(7701, EthAddress.of("0x5FbDB2315678afecb367f032d93F642f64180aa3"));
  static final Credentials ANVIL_1 =
      Credentials.create("0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d");

  static Bytes32 k(final String s) {
    return Abi.keccak(s);
  }

  static StepRecord v1() {
    return new StepRecord(BigInteger.ONE, 7, 1, 0, 2, 1, EthAddress.of("0x70997970C51812dc3A010C7d01b50e0d17dc79C8"),
        k("a"), k("b"), k("c"), k("d"), k("e"), k("f"), k("g"), k("h"), k("i"), k("j"), k("k"), 0x3FF8000000000000L);
  }

  static PoLHeader h1() {
    return new PoLHeader(BigInteger.ONE, 0, Bytes32.ZERO, 0, 9, k("s"), k("p"), k("c"), k("r"), 42);
  }

  @Test
  void domainSeparator() {
    assertThat(DOMAIN.separator().toHexString())
        .isEqualTo("0x0f871b2aa66bac0adc459d4f78676023b093165fe6c38848b3110514f2b27b8c");
  }

  @Test
  void v1StepRecord() {
    final StepRecord r = v1();
    assertThat(StepRecord.TYPE_HASH.toHexString())
        .isEqualTo("0x3fc69e9ebca839b563a4c9f5bad98ec62283cd7fe760e35429f63eb0f7993ebb");
    assertThat(r.recordHash().toHexString())
        .isEqualTo("0x9fb0f8cf58b452d96cb517a723c2f1c54bf46edb9c43b20ae5ca979e61481789");
    assertThat(r.digest(DOMAIN).toHexString())
        .isEqualTo("0xf326f5d4e68062f734b040a12d467a4651c0af09e0e5a0e78ae249d176ac6bce");
    final SignedStepRecord signed = SignedStepRecord.sign(r, DOMAIN, ANVIL_1);
    assertThat(signed.signature().value().toHexString()).isEqualTo("0x597489a118cc9698c3a63782325d7e8bde1de17063323d9653"
        + "d110c674387e566d8c5a8b3d59a7e3e20786dc0ffb60ee83e668976888a47eccc871d243892cca1b");
    assertThat(signed.signatureValid(DOMAIN)).isTrue();
    assertThat(signed.signatureValid(PolDomain.of(7702, DOMAIN.anchor()))).as("other chain").isFalse();
  }

  @Test
  void h1Header() {
    assertThat(PoLHeader.TYPE_HASH.toHexString())
        .isEqualTo("0x9aef0bc5f0b8cd5d541687e67e81d848433415933b5237c7ceb93dd3971a7e80");
    assertThat(h1().blockHash().toHexString())
        .isEqualTo("0x3e4d524a8a693bdf8674f3dda09bd05f8c216fa357584852be24f2500ec17ca5");
    assertThat(h1().digest(DOMAIN).toHexString())
        .isEqualTo("0x5655fcdc6f45f2f7b93d1e6952cc9be8d64de1f35b93edf9765be0a52111af9a");
  }

  @Test
  void s1Sample() {
    final EthAddress validator = EthAddress.of("0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC");
    assertThat(Sampling.value(k("r"), validator, v1().recordHash())).isEqualTo(645_786);
    assertThat(Sampling.mandatory(k("r"), validator, v1().recordHash(), 645_787)).isTrue();
    assertThat(Sampling.mandatory(k("r"), validator, v1().recordHash(), 645_786)).isFalse();
  }

  @Test
  void rlpVectors() {
    assertThat(PolCodec.encode(v1()).toHexString()).isEqualTo("0xf9018f0107018002019470997970c51812dc3a010c7d01b50e0"
        + "d17dc79c8a03ac225168df54212a25c1c01fd35bebfea408fdac2e31ddd6f80a4bbf9a5f1cba0b5553de315e0edf504d9150af82dafa5"
        + "c4667fa618ed0a6f19c69b41166c5510a00b42b6393c1f53060fe3ddbfcd7aadcca894465a5a438f69c87d790b2299b9b2a0f1918e8562"
        + "236eb17adc8502332f4c9c82bc14e19bfc0aa10ab674ff75b3d2f3a0a8982c89d80987fb9a510e25981ee9170206be21af3c8e0eb312ef"
        + "1d3382e761a0d1e8aeb79500496ef3dc2e57ba746a8315d048b7a664a2bf948db4fa91960483a014bcc435f49d130d189737f9762feb25"
        + "c44ef5b886bef833e31a702af6be4748a0a766932420cc6e9072394bef2c036ad8972c44696fee29397bd5e2c06001f615a0ea00237ef1"
        + "1bd9615a3b6d2629f2c6259d67b19bb94947a1bd739bae3415141ca0b31d742db54d6961c6b346af2c9c4c495eb8aff2ebf6b3699e052d"
        + "1cef5cf50ba0f3d0adcb6a1c70832365e9da0a6b2f5199422f6a53c67cfad171114e3442aa0f883ff8000000000000");
    assertThat(PolCodec.encode(h1()).toHexString()).isEqualTo("0xf8aa0180a00000000000000000000000000000000000000000000"
        + "0000000000000000000008009a060a73bfb121a98fb6b52dfb29eb0defd76b60065b8cf07902baf28c167d24dafa02304e88f144ae93"
        + "18c71b0fb9e0f44bd9e0c6c58fb1b5315a35fd8b4b2a444aba00b42b6393c1f53060fe3ddbfcd7aadcca894465a5a438f69c87d790b229"
        + "9b9b2a0414f72a4d550cad29f17d9d99a4af64b3776ec5538cd440cef0f03fef2e9e0102a");
    assertThat(PolCodec.decodeRecord(PolCodec.encode(v1()))).isEqualTo(v1());
    assertThat(PolCodec.decodeHeader(PolCodec.encode(h1()))).isEqualTo(h1());
  }
}
