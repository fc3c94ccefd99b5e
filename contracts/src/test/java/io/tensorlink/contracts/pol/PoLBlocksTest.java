package io.tensorlink.contracts.pol;

import static org.assertj.core.api.Assertions.assertThat;

import io.tensorlink.contracts.generated.PoLAnchor.PoLBlock;
import java.math.BigInteger;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Keys;
import org.web3j.crypto.Sign;
import org.web3j.crypto.StructuredDataEncoder;
import org.web3j.utils.Numeric;

/**
 * The PoLBlock EIP-712 hashing against web3j's generic typed-data encoder (an independent
 * implementation driven by JSON), and signatures that recover to their signer.
 */
class PoLBlocksTest {
  private static final String ANCHOR = "0x5FbDB2315678afecb367f032d93F642f64180aa3";

  @Property(tries = 30)
  void digestMatchesTheGenericEip712Encoder(
      @ForAll @LongRange(min = 0, max = Long.MAX_VALUE) final long jobId,
      @ForAll @LongRange(min = 0, max = Long.MAX_VALUE) final long index,
      @ForAll @LongRange(min = 0, max = Long.MAX_VALUE / 2) final long stepFrom,
      @ForAll final long seed) throws Exception {
    final java.util.Random random = new java.util.Random(seed);
    final PoLBlock h = new PoLBlock(BigInteger.valueOf(jobId), BigInteger.valueOf(index), bytes(random),
        BigInteger.valueOf(stepFrom), BigInteger.valueOf(stepFrom + 1 + random.nextInt(1000)), bytes(random), bytes(random), bytes(random),
        bytes(random), BigInteger.valueOf(random.nextInt(1 << 30)));
    final Eip712Domain domain = Eip712Domain.polAnchor(7701, ANCHOR);

    final StructuredDataEncoder reference = new StructuredDataEncoder(json(h, domain));

    assertThat(domain.separator()).isEqualTo(reference.hashDomain());
    assertThat(PoLBlocks.digest(domain, h)).isEqualTo(reference.hashStructuredData());
  }

  @Test
  void signaturesRecoverToTheirSignersInAscendingOrder() throws Exception {
    final PoLBlock h = new PoLBlock(BigInteger.ONE, BigInteger.ZERO, new byte[32], BigInteger.ZERO, BigInteger.TEN,
        new byte[32], new byte[32], new byte[32], new byte[32], BigInteger.TWO);
    final Eip712Domain domain = Eip712Domain.polAnchor(7701, ANCHOR);
    final List<Credentials> signers = List.of(
        Credentials.create("0x" + "11".repeat(32)), Credentials.create("0x" + "22".repeat(32)), Credentials.create("0x" + "33".repeat(32)));

    final List<byte[]> sigs = PoLBlocks.signAll(signers, domain, h);

    final byte[] digest = PoLBlocks.digest(domain, h);
    final List<BigInteger> recovered = sigs.stream().map(s -> {
      assertThat(s).hasSize(65);
      assertThat(s[64]).isIn((byte) 27, (byte) 28);
      final Sign.SignatureData data = new Sign.SignatureData(s[64], java.util.Arrays.copyOfRange(s, 0, 32), java.util.Arrays.copyOfRange(s, 32, 64));
      // Low s only, as OpenZeppelin's ECDSA requires.
      assertThat(Numeric.toBigInt(data.getS())).isLessThanOrEqualTo(Sign.CURVE_PARAMS.getN().shiftRight(1));
      try {
        return Numeric.toBigInt(Keys.getAddress(Sign.signedMessageHashToKey(digest, data)));
      } catch (java.security.SignatureException e) {
        throw new IllegalStateException(e);
      }
    }).toList();
    assertThat(recovered).isSorted()
        .containsExactlyInAnyOrderElementsOf(signers.stream().map(c -> Numeric.toBigInt(c.getAddress())).toList());
  }

  private static byte[] bytes(final java.util.Random random) {
    final byte[] b = new byte[32];
    random.nextBytes(b);
    return b;
  }

  private static String json(final PoLBlock h, final Eip712Domain d) {
    return """
        {"types":{
          "EIP712Domain":[{"name":"name","type":"string"},{"name":"version","type":"string"},
                          {"name":"chainId","type":"uint256"},{"name":"verifyingContract","type":"address"}],
          "PoLBlock":[{"name":"jobId","type":"uint256"},{"name":"index","type":"uint64"},{"name":"parent","type":"bytes32"},
                      {"name":"stepFrom","type":"uint64"},{"name":"stepTo","type":"uint64"},{"name":"stepsRoot","type":"bytes32"},
                      {"name":"payoutsRoot","type":"bytes32"},{"name":"checkpointRoot","type":"bytes32"},
                      {"name":"randomness","type":"bytes32"},{"name":"randomnessBlock","type":"uint64"}]},
         "primaryType":"PoLBlock",
         "domain":{"name":"%s","version":"%s","chainId":%d,"verifyingContract":"%s"},
         "message":{"jobId":"%s","index":"%s","parent":"%s","stepFrom":"%s","stepTo":"%s","stepsRoot":"%s","payoutsRoot":"%s","checkpointRoot":"%s","randomness":"%s","randomnessBlock":"%s"}}
        """.formatted(d.name(), d.version(), d.chainId(), d.verifyingContract(),
        h.jobId, h.index, Numeric.toHexString(h.parent), h.stepFrom, h.stepTo,
        Numeric.toHexString(h.stepsRoot), Numeric.toHexString(h.payoutsRoot), Numeric.toHexString(h.checkpointRoot),
        Numeric.toHexString(h.randomness), h.randomnessBlock);
  }
}
