package io.tensorlink.monero.escrow;

/**
 * Signs escrow messages as one party. The chain module signs with the node's account; tests and
 * stand-alone use can take {@link Ed25519Signer}. Implementations never expose the key.
 */
public interface MessageSigner {
  /** How the other parties name this signer (what {@link EscrowTerms#parties()} holds). */
  String signerId();

  byte[] sign(byte[] message);
}
