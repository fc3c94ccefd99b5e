package io.tensorlink.contracts.pol;

import io.tensorlink.contracts.generated.PoLAnchor.PoLBlock;
import io.tensorlink.contracts.merkle.StandardLeaf;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.generated.Bytes32;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;
import org.web3j.crypto.Sign;
import org.web3j.utils.Numeric;

/**
 * EIP-712 hashing and signing of {@code PoLBlock} headers, matching {@code PoLAnchor.hashBlock},
 * {@code blockDigest} and the signature checks of {@code submit}.
 */
public final class PoLBlocks {
  /** The EIP-712 type string; its hash is the first word of every struct hash. */
  public static final String TYPE =
      "PoLBlock(uint256 jobId,uint64 index,bytes32 parent,uint64 stepFrom,uint64 stepTo,"
          + "bytes32 stepsRoot,bytes32 payoutsRoot,bytes32 checkpointRoot)";

  private static final byte[] TYPE_HASH = Eip712Domain.keccak(TYPE);

  private PoLBlocks() {}

  /** hashStruct(header): the block hash, which the next block carries as its parent. */
  @SuppressWarnings({"rawtypes", "unchecked"})
  public static byte[] hash(final PoLBlock header) {
    final List<Type> words = new ArrayList<>();
    words.add(new Bytes32(TYPE_HASH));
    words.addAll((List<Type>) (List) header.getValue());
    return Hash.sha3(StandardLeaf.abiEncode(words));
  }

  /** The digest validators sign for {@code header} in {@code domain}. */
  public static byte[] digest(final Eip712Domain domain, final PoLBlock header) {
    return domain.digest(hash(header));
  }

  /** A 65-byte {@code r ‖ s ‖ v} signature (v = 27 or 28, low s) over the header's digest. */
  public static byte[] sign(final Credentials signer, final Eip712Domain domain, final PoLBlock header) {
    final Sign.SignatureData sig = Sign.signMessage(digest(domain, header), signer.getEcKeyPair(), false);
    final byte[] out = new byte[65];
    System.arraycopy(sig.getR(), 0, out, 0, 32);
    System.arraycopy(sig.getS(), 0, out, 32, 32);
    out[64] = sig.getV()[0];
    return out;
  }

  /** Signatures of all {@code signers}, ordered by ascending signer address as {@code submit} requires. */
  public static List<byte[]> signAll(final List<Credentials> signers, final Eip712Domain domain, final PoLBlock header) {
    return signers.stream()
        .sorted(Comparator.comparing(c -> Numeric.toBigInt(c.getAddress())))
        .map(c -> sign(c, domain, header))
        .toList();
  }
}
