package io.tensorlink.chain.pol;

import java.util.List;
import org.apache.tuweni.bytes.Bytes32;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;

/**
 * A validator's vote on a header: its EIP-712 signature over the header digest (what {@code
 * PoLAnchor.submit} checks) and the records of its mandatory sample it re-executed, with verdicts.
 * The verdict list is signed too ({@code PoLAttestation(bytes32 blockHash,bytes32 verdictsHash)}),
 * so nobody can attach a list the validator did not produce, and a validator cannot later deny the
 * records it said it checked.
 *
 * @param sampled re-executed leaves in strictly ascending order
 */
public record Attestation(Bytes32 blockHash, EthAddress validator, List<SampleVerdict> sampled,
    Signature headerSignature, Signature verdictsSignature) {

  public static final String TYPE = "PoLAttestation(bytes32 blockHash,bytes32 verdictsHash)";
  public static final Bytes32 TYPE_HASH = Abi.keccak(TYPE);
  /** More than any realistic sample of one block; bounds the decoder. */
  public static final int MAX_SAMPLED = 1 << 16;

  /** The outcome of re-executing one record. */
  public enum Verdict { VALID, INVALID }

  public record SampleVerdict(Bytes32 leaf, Verdict verdict) {
    public SampleVerdict {
      Checks.present("leaf", leaf);
      Checks.present("verdict", verdict);
    }
  }

  public Attestation {
    Checks.present("blockHash", blockHash);
    Checks.present("validator", validator);
    Checks.present("headerSignature", headerSignature);
    Checks.present("verdictsSignature", verdictsSignature);
    sampled = List.copyOf(sampled);
    if (sampled.size() > MAX_SAMPLED) {
      throw new IllegalArgumentException("attestation lists " + sampled.size() + " records, more than " + MAX_SAMPLED);
    }
    for (int i = 1; i < sampled.size(); i++) {
      if (sampled.get(i - 1).leaf().compareTo(sampled.get(i).leaf()) >= 0) {
        throw new IllegalArgumentException("sampled leaves must be strictly ascending (entry " + i + ")");
      }
    }
  }

  public static Attestation sign(final PoLHeader header, final List<SampleVerdict> sampled, final PolDomain domain,
      final Credentials validator) {
    return sign(header.blockHash(), sampled, domain, validator);
  }

  /** Signs the header {@code blockHash} names (a validator that holds only the hash, e.g. one re-sending its vote). */
  public static Attestation sign(final Bytes32 blockHash, final List<SampleVerdict> sampled, final PolDomain domain,
      final Credentials validator) {
    final List<SampleVerdict> sorted = sampled.stream().sorted((a, b) -> a.leaf().compareTo(b.leaf())).toList();
    return new Attestation(blockHash, EthAddress.of(validator.getAddress()), sorted,
        Signature.sign(validator, domain.digest(blockHash)),
        Signature.sign(validator, domain.digest(verdictsStructHash(blockHash, sorted))));
  }

  /** {@code keccak256(leaf_0 ‖ uint8 verdict_0 ‖ leaf_1 ‖ …)} (33 bytes per entry, VALID = 0). */
  public static Bytes32 verdictsHash(final List<SampleVerdict> sampled) {
    final byte[] packed = new byte[33 * sampled.size()];
    for (int i = 0; i < sampled.size(); i++) {
      System.arraycopy(sampled.get(i).leaf().toArrayUnsafe(), 0, packed, 33 * i, 32);
      packed[33 * i + 32] = (byte) sampled.get(i).verdict().ordinal();
    }
    return Bytes32.wrap(Hash.sha3(packed));
  }

  static Bytes32 verdictsStructHash(final Bytes32 blockHash, final List<SampleVerdict> sampled) {
    return Abi.words(3).bytes32(TYPE_HASH).bytes32(blockHash).bytes32(verdictsHash(sampled)).keccak();
  }

  /**
   * Whether both signatures are {@link #validator}'s: over {@code header} (which must be the one
   * this attestation names) and over the verdict list.
   */
  public boolean valid(final PoLHeader header, final PolDomain domain) {
    return header.blockHash().equals(blockHash) && signedByValidator(domain);
  }

  /** Whether both signatures are {@link #validator}'s over {@link #blockHash} and the verdict list (header not at hand). */
  public boolean signedByValidator(final PolDomain domain) {
    return headerSignature.isBy(validator, domain.digest(blockHash))
        && verdictsSignature.isBy(validator, domain.digest(verdictsStructHash(blockHash, sampled)));
  }
}
