package io.tensorlink.chain.node;

import io.tensorlink.chain.pol.PolDomain;
import java.util.Objects;
import org.web3j.crypto.Credentials;

/**
 * The node's account (which signs bindings, records, bids and attestations) and the PoL domain of
 * the chain it serves. Separate from the libp2p identity, which only authenticates transport.
 */
public record NodeIdentity(Credentials account, long chainId, PolDomain domain) {
  public NodeIdentity {
    Objects.requireNonNull(account, "account");
    Objects.requireNonNull(domain, "domain");
  }

  public String address() {
    return account.getAddress();
  }

  @Override
  public String toString() {
    // Never let the key reach a log line through a record's generated toString.
    return "NodeIdentity[" + account.getAddress() + ", chain " + chainId + "]";
  }
}
