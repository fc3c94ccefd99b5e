package io.tensorlink.contracts.revert;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A revert turned back into the error that caused it.
 *
 * @param name the custom error's name, {@code Error} or {@code Panic} for the built-ins, or a
 *     description when the data matches nothing known
 * @param args the decoded arguments, in declaration order (empty when undecodable)
 * @param data the raw revert data, {@code 0x}-prefixed (possibly just {@code 0x})
 */
public record DecodedRevert(String name, List<Arg> args, String data) {
  public DecodedRevert {
    args = List.copyOf(args);
  }

  /** The argument with this name, for callers that check a specific field. */
  public java.util.Optional<Arg> arg(final String argName) {
    return args.stream().filter(a -> a.name().equals(argName)).findFirst();
  }

  /** {@code Name(arg=value, ...)}: how every CLI command reports a revert. */
  @Override
  public String toString() {
    return name + args.stream().map(Arg::toString).collect(Collectors.joining(", ", "(", ")"));
  }

  /**
   * One decoded argument.
   *
   * @param name parameter name from the ABI
   * @param type its Solidity type
   * @param value human-readable value: decimal for integers, 0x-hex for addresses and bytes
   */
  public record Arg(String name, String type, String value) {
    @Override
    public String toString() {
      return name + "=" + value;
    }
  }
}
