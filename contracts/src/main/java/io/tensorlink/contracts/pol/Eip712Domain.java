package io.tensorlink.contracts.pol;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.generated.Bytes32;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.abi.datatypes.StaticStruct;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;
import org.web3j.crypto.Sign;
import io.tensorlink.contracts.merkle.StandardLeaf;

/**
 * An EIP-712 domain with the four fields OpenZeppelin's {@code EIP712} uses (no salt).
 *
 * @param name the signing domain name, e.g. {@code TensorLink PoLAnchor}
 * @param version the domain version, e.g. {@code 2}
 * @param chainId the chain the signature is valid on
 * @param verifyingContract the contract that checks the signature
 */
public record Eip712Domain(String name, String version, long chainId, String verifyingContract) {
  static final String TYPE = "EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)";

  /**
   * The PoLAnchor contract's domain, as its constructor declares it (v2). Validators sign
   * {@code PoLBlock} headers and workers sign {@code StepRecord}s under it.
   */
  public static Eip712Domain polAnchor(final long chainId, final String anchorAddress) {
    return new Eip712Domain("TensorLink PoLAnchor", "2", chainId, anchorAddress);
  }

  /**
   * hashStruct of a struct whose members are all static (every PoL type is):
   * {@code keccak256(typeHash ‖ abi.encode(members...))}.
   */
  @SuppressWarnings({"rawtypes", "unchecked"})
  public static byte[] structHash(final String type, final StaticStruct struct) {
    final List<Type> words = new ArrayList<>();
    words.add(new Bytes32(keccak(type)));
    words.addAll((List<Type>) (List) struct.getValue());
    return Hash.sha3(StandardLeaf.abiEncode(words));
  }

  /** A 65-byte {@code r ‖ s ‖ v} signature (v = 27 or 28, low s) over {@code digest}, unhashed. */
  public static byte[] sign(final Credentials signer, final byte[] digest) {
    final Sign.SignatureData sig = Sign.signMessage(digest, signer.getEcKeyPair(), false);
    final byte[] out = new byte[65];
    System.arraycopy(sig.getR(), 0, out, 0, 32);
    System.arraycopy(sig.getS(), 0, out, 32, 32);
    out[64] = sig.getV()[0];
    return out;
  }

  /** hashStruct(EIP712Domain): what OpenZeppelin's {@code _domainSeparatorV4()} returns. */
  @SuppressWarnings("rawtypes")
  public byte[] separator() {
    final List<Type> fields =
        List.of(
            new Bytes32(keccak(TYPE)),
            new Bytes32(keccak(name)),
            new Bytes32(keccak(version)),
            new Uint256(BigInteger.valueOf(chainId)),
            new Address(verifyingContract));
    return Hash.sha3(StandardLeaf.abiEncode(fields));
  }

  /** The digest to sign: {@code keccak256(0x1901 ‖ separator ‖ structHash)}. */
  public byte[] digest(final byte[] structHash) {
    final byte[] message = new byte[66];
    message[0] = 0x19;
    message[1] = 0x01;
    System.arraycopy(separator(), 0, message, 2, 32);
    System.arraycopy(structHash, 0, message, 34, 32);
    return Hash.sha3(message);
  }

  static byte[] keccak(final String text) {
    return Hash.sha3(text.getBytes(StandardCharsets.UTF_8));
  }
}
