package io.tensorlink.chain.validator;

import io.tensorlink.chain.store.AttestationKey;
import io.tensorlink.chain.store.BlockKey;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;

/**
 * A validator's signature over a header (EIP-712 digest of {@code blockHash} in the anchor's
 * domain) plus the record leaves of its mandatory sample that it re-executed.
 *
 * <p>Wire form (RLP list): {@code [jobId, index, blockHash(32), validator(20), signature(65), [leaf(32)...]]}.
 */
public record Attestation(BigInteger jobId, long index, byte[] blockHash, byte[] validator, byte[] signature, List<byte[]> sampled) {
  public Attestation {
    if (blockHash.length != 32 || validator.length != 20 || signature.length != 65) {
      throw new MalformedMessageException("attestation needs a 32-byte hash, 20-byte validator and 65-byte signature, got "
          + blockHash.length + "/" + validator.length + "/" + signature.length);
    }
    blockHash = blockHash.clone();
    validator = validator.clone();
    signature = signature.clone();
    sampled = sampled.stream().map(byte[]::clone).toList();
  }

  public BlockKey block() {
    return new BlockKey(jobId, index);
  }

  public AttestationKey storeKey() {
    return new AttestationKey(block(), blockHash, validator);
  }

  public String validatorAddress() {
    return Hex.of(validator);
  }

  @Override
  public byte[] blockHash() {
    return blockHash.clone();
  }

  @Override
  public byte[] validator() {
    return validator.clone();
  }

  @Override
  public byte[] signature() {
    return signature.clone();
  }

  public byte[] encode() {
    return Rlp.encodeList(w -> {
      w.writeBigInteger(jobId);
      w.writeLong(index);
      w.writeByteArray(blockHash);
      w.writeByteArray(validator);
      w.writeByteArray(signature);
      w.writeList(sampled, (lw, leaf) -> lw.writeByteArray(leaf));
    });
  }

  public static Attestation decode(final byte[] wire) {
    return Rlp.decodeList(wire, "attestation", Attestation::read);
  }

  static Attestation read(final org.apache.tuweni.rlp.RLPReader r) {
    return new Attestation(r.readBigInteger(), r.readLong(), Rlp.readFixed(r, 32, "attestation block hash"),
        Rlp.readFixed(r, 20, "attestation validator"), Rlp.readFixed(r, 65, "attestation signature"),
        r.readListContents(lr -> Rlp.readFixed(lr, 32, "sampled leaf")));
  }

  @Override
  public boolean equals(final Object o) {
    return o instanceof Attestation a && Arrays.equals(a.encode(), encode());
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(signature);
  }

  @Override
  public String toString() {
    return "attestation by " + validatorAddress() + " for block " + index + " of job " + jobId + " " + Hex.of(blockHash);
  }
}
