package io.tensorlink.contracts.revert;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tensorlink.contracts.SuiteContract;
import io.tensorlink.contracts.revert.AbiError.AbiParam;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.web3j.abi.FunctionReturnDecoder;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.Type;
import org.web3j.utils.Numeric;

/**
 * Decodes revert data into the custom error (name and arguments) it encodes, using the error
 * declarations of a set of ABIs; the suite's ABIs include the OpenZeppelin errors their
 * contracts can raise. Also knows the two built-ins, {@code Error(string)} and {@code Panic(uint256)}.
 *
 * <p>Immutable and thread-safe.
 */
public final class RevertDecoder {
  static final String ERROR_STRING_SELECTOR = "0x08c379a0";
  static final String PANIC_SELECTOR = "0x4e487b71";

  private static final Map<Integer, String> PANIC_CODES =
      Map.of(
          0x01, "assert failed",
          0x11, "arithmetic overflow or underflow",
          0x12, "division or modulo by zero",
          0x21, "invalid enum value",
          0x22, "corrupt storage byte array",
          0x31, "pop on empty array",
          0x32, "array index out of bounds",
          0x41, "out of memory",
          0x51, "call to zero-initialised function");

  private final Map<String, AbiError> bySelector;

  private RevertDecoder(final Map<String, AbiError> bySelector) {
    this.bySelector = Map.copyOf(bySelector);
  }

  /** A decoder for every error in the suite's bundled ABIs. */
  public static RevertDecoder forSuite() {
    final List<JsonNode> abis = new ArrayList<>();
    for (final SuiteContract c : SuiteContract.values()) {
      try (InputStream in = RevertDecoder.class.getClassLoader().getResourceAsStream(c.abiResource())) {
        if (in == null) {
          throw new IllegalStateException(
              "ABI resource " + c.abiResource() + " missing from the classpath: the contracts module was built without its forge artifacts");
        }
        abis.add(new ObjectMapper().readTree(in));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + c.abiResource(), e);
      }
    }
    return fromAbis(abis);
  }

  /** A decoder for the errors declared in these ABI arrays. */
  public static RevertDecoder fromAbis(final List<JsonNode> abis) {
    final Map<String, AbiError> bySelector = new HashMap<>();
    for (final JsonNode abi : abis) {
      for (final JsonNode entry : abi) {
        if ("error".equals(entry.path("type").asText())) {
          final AbiError error = parseError(entry);
          bySelector.putIfAbsent(error.selector(), error);
        }
      }
    }
    return new RevertDecoder(bySelector);
  }

  /** The errors this decoder knows, by name (a name declared with two signatures appears once). */
  public Map<String, AbiError> errorsByName() {
    return bySelector.values().stream().collect(Collectors.toMap(AbiError::name, e -> e, (a, b) -> a));
  }

  /** Decodes {@code 0x}-prefixed revert data; never throws on malformed data, it says so instead. */
  public DecodedRevert decode(final String revertData) {
    final String data = revertData == null ? "0x" : Numeric.prependHexPrefix(revertData.trim()).toLowerCase(Locale.ROOT);
    if (data.length() < 10) {
      return new DecodedRevert(data.equals("0x") ? "(no revert data)" : "(truncated revert data)", List.of(), data);
    }
    final String selector = data.substring(0, 10);
    final String body = "0x" + data.substring(10);
    if (selector.equals(ERROR_STRING_SELECTOR)) {
      return decodeAs(new AbiError("Error", List.of(new AbiParam("message", "string"))), body, data);
    }
    if (selector.equals(PANIC_SELECTOR)) {
      final DecodedRevert panic = decodeAs(new AbiError("Panic", List.of(new AbiParam("code", "uint256"))), body, data);
      return panic.args().isEmpty() ? panic : withPanicReason(panic);
    }
    final AbiError error = bySelector.get(selector);
    if (error == null) {
      return new DecodedRevert("unknown error " + selector, List.of(), data);
    }
    return decodeAs(error, body, data);
  }

  @SuppressWarnings({"rawtypes", "unchecked"})
  private static DecodedRevert decodeAs(final AbiError error, final String body, final String data) {
    final List<TypeReference<Type>> refs = new ArrayList<>();
    try {
      for (final AbiParam p : error.inputs()) {
        if (p.type().startsWith("(")) {
          // web3j cannot build tuple types from a type string; report the raw arguments instead.
          return new DecodedRevert(error.name(), List.of(new DecodedRevert.Arg("data", "bytes", body)), data);
        }
        refs.add(TypeReference.makeTypeReference(p.type()));
      }
      final List<Type> values = FunctionReturnDecoder.decode(body, refs);
      if (values.size() != refs.size()) {
        return new DecodedRevert(error.name() + " (undecodable arguments)", List.of(), data);
      }
      final List<DecodedRevert.Arg> args = new ArrayList<>();
      for (int i = 0; i < values.size(); i++) {
        final AbiParam p = error.inputs().get(i);
        args.add(new DecodedRevert.Arg(p.name(), p.type(), render(values.get(i))));
      }
      return new DecodedRevert(error.name(), args, data);
    } catch (ClassNotFoundException | RuntimeException e) {
      return new DecodedRevert(error.name() + " (undecodable arguments: " + e.getMessage() + ")", List.of(), data);
    }
  }

  private static DecodedRevert withPanicReason(final DecodedRevert panic) {
    final DecodedRevert.Arg code = panic.args().get(0);
    final int value = new BigInteger(code.value()).intValue();
    final String reason = PANIC_CODES.getOrDefault(value, "unknown panic");
    return new DecodedRevert(
        "Panic",
        List.of(new DecodedRevert.Arg(code.name(), code.type(), String.format("0x%02x (%s)", value, reason))),
        panic.data());
  }

  @SuppressWarnings("rawtypes")
  static String render(final Type value) {
    final Object v = value.getValue();
    if (v instanceof byte[] bytes) {
      return Numeric.toHexString(bytes);
    }
    if (v instanceof List<?> list) {
      return list.stream().map(e -> render((Type) e)).collect(Collectors.joining(", ", "[", "]"));
    }
    if (value instanceof org.web3j.abi.datatypes.Utf8String) {
      return "\"" + v + "\"";
    }
    return String.valueOf(v);
  }

  private static AbiError parseError(final JsonNode entry) {
    final List<AbiParam> params = new ArrayList<>();
    int index = 0;
    for (final JsonNode input : entry.path("inputs")) {
      final String name = input.path("name").asText("");
      params.add(new AbiParam(name.isEmpty() ? "arg" + index : name, canonicalType(input)));
      index++;
    }
    return new AbiError(entry.path("name").asText(), params);
  }

  /** The ABI type as it appears in a signature: tuples become {@code (t1,t2)} plus any array suffix. */
  static String canonicalType(final JsonNode param) {
    final String type = param.path("type").asText();
    if (!type.startsWith("tuple")) {
      return type;
    }
    final List<String> parts = new ArrayList<>();
    for (final JsonNode component : param.path("components")) {
      parts.add(canonicalType(component));
    }
    return "(" + String.join(",", parts) + ")" + type.substring("tuple".length());
  }
}
