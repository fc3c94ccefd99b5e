package io.tensorlink.chain.pol;

import io.tensorlink.p2p.peer.PeerId;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;
import org.web3j.crypto.Credentials;

/**
 * Binds a libp2p peer ID (the transport identity, Ed25519) to an Ethereum account (which signs
 * records, bids and attestations), signed by the account, so others know whom to dial for a worker
 * or validator. The newest {@code issuedAt} wins when an account rebinds.
 *
 * @param peerId the peer ID's multihash bytes
 */
public record NodeBinding(Bytes peerId, EthAddress account, long issuedAt, Signature signature) {
  public static final String TYPE = "NodeBinding(bytes peerId,address account,uint64 issuedAt)";
  public static final Bytes32 TYPE_HASH = Abi.keccak(TYPE);

  public NodeBinding {
    Checks.present("peerId", peerId);
    Checks.present("account", account);
    Checks.nonNegative("issuedAt", issuedAt);
    Checks.present("signature", signature);
    try {
      PeerId.fromBytes(peerId.toArray());
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("peerId is not a libp2p peer ID multihash: " + e.getMessage(), e);
    }
  }

  public static NodeBinding sign(final PeerId peer, final long issuedAt, final PolDomain domain, final Credentials account) {
    final Bytes id = Bytes.wrap(peer.bytes());
    final EthAddress address = EthAddress.of(account.getAddress());
    return new NodeBinding(id, address, issuedAt, Signature.sign(account, domain.digest(structHash(id, address, issuedAt))));
  }

  static Bytes32 structHash(final Bytes peerId, final EthAddress account, final long issuedAt) {
    return Abi.words(4).bytes32(TYPE_HASH).bytes32(Abi.keccak(peerId)).address(account).uint64(issuedAt).keccak();
  }

  public PeerId peer() {
    return PeerId.fromBytes(peerId.toArray());
  }

  public boolean signatureValid(final PolDomain domain) {
    return signature.isBy(account, domain.digest(structHash(peerId, account, issuedAt)));
  }
}
