package io.tensorlink.besu.anchor;

import static org.assertj.core.api.Assertions.assertThat;

import io.tensorlink.besu.Fixtures;
import io.tensorlink.contracts.pol.Eip712Domain;
import java.math.BigInteger;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.StructuredDataEncoder;

/** PROTOCOL.md's header vector H1, hashed here and by web3j's independent EIP-712 encoder. */
class PolHeaderTest {
  static final PolHeader H1 = new PolHeader(BigInteger.ONE, 0, Head.ZERO, 0, 9, Fixtures.keccak("s"), Fixtures.keccak("p"),
      Fixtures.keccak("c"), Fixtures.keccak("r"), 42);
  static final Eip712Domain DOMAIN = new Eip712Domain("TensorLink PoLAnchor", "2", 7701, "0x5FbDB2315678afecb367f032d93F642f64180aa3");

  @Test
  void h1HashAndDigestAgreeWithWeb3jsEip712Encoder() throws Exception {
    final String json = """
        {"types":{"EIP712Domain":[{"name":"name","type":"string"},{"name":"version","type":"string"},
          {"name":"chainId","type":"uint256"},{"name":"verifyingContract","type":"address"}],
         "PoLBlock":[{"name":"jobId","type":"uint256"},{"name":"index","type":"uint64"},{"name":"parent","type":"bytes32"},
          {"name":"stepFrom","type":"uint64"},{"name":"stepTo","type":"uint64"},{"name":"stepsRoot","type":"bytes32"},
          {"name":"payoutsRoot","type":"bytes32"},{"name":"checkpointRoot","type":"bytes32"},{"name":"randomness","type":"bytes32"},
          {"name":"randomnessBlock","type":"uint64"}]},
         "primaryType":"PoLBlock",
         "domain":{"name":"TensorLink PoLAnchor","version":"2","chainId":7701,"verifyingContract":"0x5FbDB2315678afecb367f032d93F642f64180aa3"},
         "message":{"jobId":1,"index":0,"parent":"%s","stepFrom":0,"stepTo":9,"stepsRoot":"%s","payoutsRoot":"%s",
          "checkpointRoot":"%s","randomness":"%s","randomnessBlock":42}}
        """.formatted(H1.parent(), H1.stepsRoot(), H1.payoutsRoot(), H1.checkpointRoot(), H1.randomness());
    final StructuredDataEncoder web3j = new StructuredDataEncoder(json);
    assertThat(Hex.of(DOMAIN.digest(H1.hash()))).isEqualTo(Hex.of(web3j.hashStructuredData()));
    // Recorded for the lead's cross-check against the Solidity side (PROTOCOL.md, H1).
    assertThat(Fixtures.keccak(PolHeader.TYPE)).isEqualTo(H1_TYPEHASH);
    assertThat(Hex.of(H1.hash())).isEqualTo(H1_BLOCK_HASH);
    assertThat(Hex.of(DOMAIN.digest(H1.hash()))).isEqualTo(H1_DIGEST);
  }

  static final String H1_TYPEHASH = "0x9aef0bc5f0b8cd5d541687e67e81d848433415933b5237c7ceb93dd3971a7e80";
  static final String H1_BLOCK_HASH = "0x3e4d524a8a693bdf8674f3dda09bd05f8c216fa357584852be24f2500ec17ca5";
  static final String H1_DIGEST = "0x5655fcdc6f45f2f7b93d1e6952cc9be8d64de1f35b93edf9765be0a52111af9a";
}
