package io.tensorlink.chain.validator.suite;

import io.tensorlink.chain.pol.Attestation;
import io.tensorlink.chain.pol.EthAddress;
import io.tensorlink.chain.pol.PolDomain;
import io.tensorlink.chain.pol.Signature;
import io.tensorlink.chain.validator.AttestationSigner;
import io.tensorlink.contracts.pol.Eip712Domain;
import java.util.List;
import java.util.Locale;
import org.apache.tuweni.bytes.Bytes32;
import org.web3j.crypto.Credentials;

/**
 * Signs header hashes and attestations in the anchor's EIP-712 domain with an account key, as
 * {@code PoLAnchor.submit} verifies the header signatures.
 */
public final class Eip712Signer implements AttestationSigner {
  private final Credentials account;
  private final PolDomain domain;

  public Eip712Signer(final Credentials account, final Eip712Domain domain) {
    this.account = account;
    this.domain = new PolDomain(domain.chainId(), EthAddress.of(domain.verifyingContract()), Bytes32.wrap(domain.separator()));
  }

  @Override
  public String address() {
    return account.getAddress().toLowerCase(Locale.ROOT);
  }

  @Override
  public byte[] sign(final byte[] blockHash) {
    return Signature.sign(account, domain.digest(Bytes32.wrap(blockHash))).value().toArray();
  }

  @Override
  public Attestation attest(final byte[] blockHash, final List<Attestation.SampleVerdict> sampled) {
    return Attestation.sign(Bytes32.wrap(blockHash), sampled, domain, account);
  }

  @Override
  public boolean verify(final Attestation attestation) {
    return attestation.signedByValidator(domain);
  }
}
