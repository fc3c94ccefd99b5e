package io.tensorlink.chain.pol;

import io.tensorlink.contracts.pol.Eip712Domain;
import org.apache.tuweni.bytes.Bytes32;
import org.web3j.crypto.Hash;

/**
 * The EIP-712 domain of all PoL typed data (PROTOCOL.md): name {@code TensorLink PoLAnchor},
 * version {@code 2}, the chain id and the PoLAnchor address. The court checks worker signatures
 * with the anchor's {@code domainSeparator()}, so every signed PoL type lives in this one domain.
 * The separator is computed once ({@link #of}), since every record signature check needs it.
 */
public record PolDomain(long chainId, EthAddress anchor, Bytes32 separator) {
  public static final String NAME = "TensorLink PoLAnchor";
  public static final String VERSION = "2";

  public PolDomain {
    if (chainId <= 0 || anchor == null || separator == null) {
      throw new IllegalArgumentException("a PoL domain needs a positive chain id and the anchor address");
    }
  }

  public static PolDomain of(final long chainId, final EthAddress anchor) {
    if (anchor == null) {
      throw new IllegalArgumentException("a PoL domain needs the anchor address");
    }
    return new PolDomain(chainId, anchor,
        Bytes32.wrap(new Eip712Domain(NAME, VERSION, chainId, anchor.toString()).separator()));
  }

  /** {@code keccak256(0x1901 ‖ separator ‖ structHash)}: what signers sign. */
  public Bytes32 digest(final Bytes32 structHash) {
    final byte[] message = new byte[66];
    message[0] = 0x19;
    message[1] = 0x01;
    System.arraycopy(separator.toArrayUnsafe(), 0, message, 2, 32);
    System.arraycopy(structHash.toArrayUnsafe(), 0, message, 34, 32);
    return Bytes32.wrap(Hash.sha3(message));
  }
}
