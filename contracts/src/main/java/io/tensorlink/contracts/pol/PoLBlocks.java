package io.tensorlink.contracts.pol;

import io.tensorlink.contracts.generated.DisputeCourt;
import io.tensorlink.contracts.generated.JobEscrow;
import io.tensorlink.contracts.generated.PoLAnchor.PoLBlock;
import java.util.Comparator;
import java.util.List;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;
import org.web3j.utils.Numeric;

/**
 * EIP-712 hashing and signing of v2 {@code PoLBlock} headers, matching {@code PoLAnchor.hashBlock},
 * {@code blockDigest} and the signature checks of {@code submit}.
 */
public final class PoLBlocks {
  /** The EIP-712 type string (PoL v2); its hash is the first word of every struct hash. */
  public static final String TYPE =
      "PoLBlock(uint256 jobId,uint64 index,bytes32 parent,uint64 stepFrom,uint64 stepTo,"
          + "bytes32 stepsRoot,bytes32 payoutsRoot,bytes32 checkpointRoot,bytes32 randomness,uint64 randomnessBlock)";

  private PoLBlocks() {}

  /** hashStruct(header): the block hash, which the next block carries as its parent. */
  public static byte[] hash(final PoLBlock header) {
    return Eip712Domain.structHash(TYPE, header);
  }

  /** The digest validators sign for {@code header} in {@code domain}. */
  public static byte[] digest(final Eip712Domain domain, final PoLBlock header) {
    return domain.digest(hash(header));
  }

  /** A 65-byte {@code r ‖ s ‖ v} signature (v = 27 or 28, low s) over the header's digest. */
  public static byte[] sign(final Credentials signer, final Eip712Domain domain, final PoLBlock header) {
    return Eip712Domain.sign(signer, digest(domain, header));
  }

  /** Signatures of all {@code signers}, ordered by ascending signer address as {@code submit} requires. */
  public static List<byte[]> signAll(final List<Credentials> signers, final Eip712Domain domain, final PoLBlock header) {
    return ascending(signers).stream().map(c -> sign(c, domain, header)).toList();
  }

  /** The signers' addresses in ascending order: the block's signer list as the anchor commits to it. */
  public static List<String> signerList(final List<Credentials> signers) {
    return ascending(signers).stream().map(Credentials::getAddress).toList();
  }

  /**
   * The hash the anchor commits to for a signer list (ascending): keccak256 of the addresses, each
   * left-padded to 32 bytes, concatenated.
   */
  public static byte[] signersHash(final List<String> signers) {
    final byte[] packed = new byte[32 * signers.size()];
    for (int i = 0; i < signers.size(); i++) {
      final byte[] address = Numeric.hexStringToByteArray(signers.get(i));
      System.arraycopy(address, 0, packed, 32 * i + 32 - address.length, address.length);
    }
    return Hash.sha3(packed);
  }

  /** The same header as the DisputeCourt binding's struct (web3j generates one class per contract). */
  public static DisputeCourt.PoLBlock forCourt(final PoLBlock h) {
    return new DisputeCourt.PoLBlock(h.jobId, h.index, h.parent, h.stepFrom, h.stepTo, h.stepsRoot, h.payoutsRoot,
        h.checkpointRoot, h.randomness, h.randomnessBlock);
  }

  /** The same header as the JobEscrow binding's struct (for {@code claimFee}). */
  public static JobEscrow.PoLBlock forEscrow(final PoLBlock h) {
    return new JobEscrow.PoLBlock(h.jobId, h.index, h.parent, h.stepFrom, h.stepTo, h.stepsRoot, h.payoutsRoot,
        h.checkpointRoot, h.randomness, h.randomnessBlock);
  }

  private static List<Credentials> ascending(final List<Credentials> signers) {
    return signers.stream().sorted(Comparator.comparing(c -> Numeric.toBigInt(c.getAddress()))).toList();
  }
}
