package io.tensorlink.contracts.pol;

import static org.assertj.core.api.Assertions.assertThat;

import io.tensorlink.contracts.generated.DisputeCourt.StepRecord;
import io.tensorlink.contracts.generated.PoLAnchor.PoLBlock;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;
import org.web3j.utils.Numeric;

/**
 * The PoL v2 golden vectors V1, H1 and S1 (PROTOCOL.md, docs/contracts.md) computed by the Java
 * helpers; the same values are asserted by the Solidity side in {@code test/Encodings.t.sol}.
 */
class GoldenVectorsTest {
  private static final Eip712Domain DOMAIN = Eip712Domain.polAnchor(7701, "0x5FbDB2315678afecb367f032d93F642f64180aa3");
  private static final String W1 = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
  private static final String V3 = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC";

  @Test
  void recordV1() {
    final StepRecord v1 = new StepRecord(BigInteger.ONE, BigInteger.valueOf(7), BigInteger.ONE, BigInteger.ZERO,
        BigInteger.TWO, BigInteger.ONE, W1, k("a"), k("b"), k("c"), k("d"), k("e"), k("f"), k("g"), k("h"), k("i"), k("j"),
        k("k"), new BigInteger("3FF8000000000000", 16));

    assertThat(hex(Hash.sha3(StepRecords.TYPE.getBytes(StandardCharsets.UTF_8))))
        .isEqualTo("0x3fc69e9ebca839b563a4c9f5bad98ec62283cd7fe760e35429f63eb0f7993ebb");
    assertThat(hex(StepRecords.hash(v1))).isEqualTo("0x9fb0f8cf58b452d96cb517a723c2f1c54bf46edb9c43b20ae5ca979e61481789");
    assertThat(hex(DOMAIN.separator())).isEqualTo("0x0f871b2aa66bac0adc459d4f78676023b093165fe6c38848b3110514f2b27b8c");
    assertThat(hex(StepRecords.digest(DOMAIN, v1))).isEqualTo("0xf326f5d4e68062f734b040a12d467a4651c0af09e0e5a0e78ae249d176ac6bce");
    final Credentials anvil1 = Credentials.create("0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d");
    assertThat(hex(StepRecords.sign(anvil1, DOMAIN, v1))).isEqualTo(
        "0x597489a118cc9698c3a63782325d7e8bde1de17063323d9653d110c674387e56"
            + "6d8c5a8b3d59a7e3e20786dc0ffb60ee83e668976888a47eccc871d243892cca1b");
  }

  @Test
  void headerH1() {
    final PoLBlock h1 = new PoLBlock(BigInteger.ONE, BigInteger.ZERO, new byte[32], BigInteger.ZERO, BigInteger.valueOf(9),
        k("s"), k("p"), k("c"), k("r"), BigInteger.valueOf(42));

    assertThat(hex(Hash.sha3(PoLBlocks.TYPE.getBytes(StandardCharsets.UTF_8))))
        .isEqualTo("0x9aef0bc5f0b8cd5d541687e67e81d848433415933b5237c7ceb93dd3971a7e80");
    assertThat(hex(PoLBlocks.hash(h1))).isEqualTo("0x3e4d524a8a693bdf8674f3dda09bd05f8c216fa357584852be24f2500ec17ca5");
    assertThat(hex(PoLBlocks.digest(DOMAIN, h1))).isEqualTo("0x5655fcdc6f45f2f7b93d1e6952cc9be8d64de1f35b93edf9765be0a52111af9a");
  }

  @Test
  void sampleS1() {
    final byte[] packed = new byte[84];
    System.arraycopy(k("r"), 0, packed, 0, 32);
    System.arraycopy(Numeric.hexStringToByteArray(V3), 0, packed, 32, 20);
    System.arraycopy(Numeric.hexStringToByteArray("0x9fb0f8cf58b452d96cb517a723c2f1c54bf46edb9c43b20ae5ca979e61481789"), 0, packed, 52, 32);
    assertThat(Numeric.toBigInt(Hash.sha3(packed)).mod(BigInteger.valueOf(1_000_000))).isEqualTo(BigInteger.valueOf(645_786));
  }

  private static byte[] k(final String s) {
    return Hash.sha3(s.getBytes(StandardCharsets.UTF_8));
  }

  private static String hex(final byte[] b) {
    return Numeric.toHexString(b);
  }
}
