package io.tensorlink.contracts.merkle;

import java.util.List;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.Type;
import org.web3j.crypto.Hash;
import org.web3j.utils.Numeric;

/**
 * OpenZeppelin's standard leaf hash: {@code keccak256(bytes.concat(keccak256(abi.encode(values))))}.
 * Hashing twice keeps a leaf from ever colliding with an inner node (second-preimage defence).
 */
public final class StandardLeaf {
  private StandardLeaf() {}

  /** The leaf hash of ABI values, in the order the Solidity side {@code abi.encode}s them. */
  @SuppressWarnings("rawtypes")
  public static byte[] hash(final List<Type> values) {
    if (values.isEmpty()) {
      throw new IllegalArgumentException("a leaf needs at least one value");
    }
    return Hash.sha3(Hash.sha3(abiEncode(values)));
  }

  /** {@code abi.encode(values...)}: the head/tail encoding of the values as one tuple. */
  @SuppressWarnings({"rawtypes", "unchecked"})
  public static byte[] abiEncode(final List<Type> values) {
    return Numeric.hexStringToByteArray(FunctionEncoder.encodeConstructor((List) values));
  }
}
