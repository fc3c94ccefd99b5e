package io.tensorlink.chain.xmr;

import io.tensorlink.monero.escrow.MessageSigner;
import io.tensorlink.monero.escrow.SignatureVerifier;
import io.tensorlink.monero.escrow.StoreKey;
import java.math.BigInteger;
import java.security.SignatureException;
import java.util.Arrays;
import java.util.Locale;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Keys;
import org.web3j.crypto.Sign;
import org.web3j.utils.Numeric;

/**
 * Escrow messages signed by the node's account (secp256k1, EIP-191 personal-sign of the message), so the
 * parties are the same accounts the chain knows; the signer id is the 0x address in lowercase.
 * {@link #VERIFIER} recovers the address from a 65-byte {@code r ‖ s ‖ v} signature.
 */
public final class AccountSigner implements MessageSigner {
  public static final SignatureVerifier VERIFIER = AccountSigner::verify;

  private final Credentials credentials;

  public AccountSigner(final Credentials credentials) {
    this.credentials = credentials;
  }

  @Override
  public String signerId() {
    return credentials.getAddress().toLowerCase(Locale.ROOT);
  }

  @Override
  public byte[] sign(final byte[] message) {
    final Sign.SignatureData s = Sign.signPrefixedMessage(message, credentials.getEcKeyPair());
    final byte[] out = new byte[65];
    System.arraycopy(s.getR(), 0, out, 0, 32);
    System.arraycopy(s.getS(), 0, out, 32, 32);
    out[64] = s.getV()[0];
    return out;
  }

  /**
   * The key this node's {@link io.tensorlink.monero.escrow.EscrowStore} encrypts with, derived from the
   * account's private key (one-way: the store key reveals nothing of the account key).
   */
  public StoreKey storeKey() {
    return StoreKey.fromAccountKey(Numeric.toBytesPadded(credentials.getEcKeyPair().getPrivateKey(), 32));
  }

  private static boolean verify(final String signerId, final byte[] message, final byte[] signature) {
    if (signature.length != 65) {
      return false;
    }
    try {
      final BigInteger key = Sign.signedPrefixedMessageToKey(message, new Sign.SignatureData(signature[64],
          Arrays.copyOfRange(signature, 0, 32), Arrays.copyOfRange(signature, 32, 64)));
      return Numeric.prependHexPrefix(Keys.getAddress(key)).equalsIgnoreCase(signerId);
    } catch (final SignatureException | IllegalArgumentException e) {
      return false;
    }
  }

  @Override
  public String toString() {
    return "AccountSigner[" + signerId() + "]";
  }
}
