package io.tensorlink.chain.validator.suite;

import io.tensorlink.chain.validator.AttestationSigner;
import io.tensorlink.chain.validator.Hex;
import io.tensorlink.contracts.pol.Eip712Domain;
import java.math.BigInteger;
import java.security.SignatureException;
import java.util.Arrays;
import java.util.Optional;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Keys;
import org.web3j.crypto.Sign;

/** Signs header hashes in the anchor's EIP-712 domain with an account key, as {@code PoLAnchor.submit} verifies them. */
public final class Eip712Signer implements AttestationSigner {
  private final Credentials account;
  private final Eip712Domain domain;

  public Eip712Signer(final Credentials account, final Eip712Domain domain) {
    this.account = account;
    this.domain = domain;
  }

  @Override
  public String address() {
    return Hex.normalize(account.getAddress());
  }

  @Override
  public byte[] sign(final byte[] blockHash) {
    final Sign.SignatureData sig = Sign.signMessage(domain.digest(blockHash), account.getEcKeyPair(), false);
    final byte[] out = new byte[65];
    System.arraycopy(sig.getR(), 0, out, 0, 32);
    System.arraycopy(sig.getS(), 0, out, 32, 32);
    out[64] = sig.getV()[0];
    return out;
  }

  @Override
  public Optional<String> recover(final byte[] blockHash, final byte[] signature) {
    if (signature.length != 65) {
      return Optional.empty();
    }
    try {
      final BigInteger key = Sign.signedMessageHashToKey(domain.digest(blockHash), new Sign.SignatureData(
          signature[64], Arrays.copyOfRange(signature, 0, 32), Arrays.copyOfRange(signature, 32, 64)));
      return Optional.of(Hex.normalize(Keys.getAddress(key)));
    } catch (SignatureException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
