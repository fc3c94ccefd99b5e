package io.tensorlink.contracts.revert;

import java.util.List;
import java.util.stream.Collectors;
import org.web3j.crypto.Hash;
import org.web3j.utils.Numeric;

/**
 * A custom error as the ABI declares it.
 *
 * @param name the error's name, e.g. {@code StakeManagerInsufficientStake}
 * @param inputs its parameters in declaration order
 */
public record AbiError(String name, List<AbiParam> inputs) {
  public AbiError {
    inputs = List.copyOf(inputs);
  }

  /** The canonical signature the selector hashes, e.g. {@code Foo(address,uint256)}. */
  public String signature() {
    return name + inputs.stream().map(AbiParam::type).collect(Collectors.joining(",", "(", ")"));
  }

  /** The first four bytes of keccak256(signature), as {@code 0x}-prefixed hex. */
  public String selector() {
    return Numeric.toHexString(Hash.sha3(signature().getBytes(java.nio.charset.StandardCharsets.UTF_8)), 0, 4, true);
  }

  /**
   * One error parameter.
   *
   * @param name the parameter name ({@code argN} when the ABI leaves it empty)
   * @param type the canonical type; tuples are spelled out as {@code (t1,t2)} with any array suffix
   */
  public record AbiParam(String name, String type) {}
}
