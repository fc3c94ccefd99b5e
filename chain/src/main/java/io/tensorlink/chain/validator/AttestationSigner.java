package io.tensorlink.chain.validator;

/** The validator's account key, as far as the service needs it (a host may keep the key elsewhere). */
public interface AttestationSigner {
  /** The account address (lower-case 0x text). */
  String address();

  /** A 65-byte {@code r ‖ s ‖ v} signature over the anchor's EIP-712 digest of {@code blockHash}. */
  byte[] sign(byte[] blockHash);

  /** The address that produced {@code signature} over {@code blockHash}'s digest, or empty if it is not a valid signature. */
  java.util.Optional<String> recover(byte[] blockHash, byte[] signature);
}
