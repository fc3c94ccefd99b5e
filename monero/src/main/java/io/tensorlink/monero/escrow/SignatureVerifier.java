package io.tensorlink.monero.escrow;

/** Checks that {@code signature} over {@code message} was made by the signer named {@code signerId}. */
@FunctionalInterface
public interface SignatureVerifier {
  boolean verify(String signerId, byte[] message, byte[] signature);
}
