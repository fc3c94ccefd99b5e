package io.tensorlink.cli.contracts;

import io.tensorlink.contracts.revert.DecodedRevert;
import io.tensorlink.contracts.revert.RevertDecoder;
import java.io.IOException;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.Function;
import org.web3j.crypto.Hash;
import org.web3j.protocol.Web3jService;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.core.methods.response.EthCall;
import org.web3j.protocol.core.methods.response.EthEstimateGas;
import org.web3j.utils.Numeric;

/**
 * Runs a call as it will run once its approve is mined, before that approve is sent: an
 * {@code eth_call} at {@code pending} with a state override that writes the ERC-20 allowance
 * (owner → spender) into the token's storage. A call that would revert is then refused with its
 * decoded error and no approve is mined for it; a node that rejects state overrides (or a token
 * whose storage differs) is reported as {@link Outcome.Unsupported}, and the caller falls back to
 * its local checks.
 */
public final class AllowanceSimulation {
  /**
   * Storage slot of OpenZeppelin 5 ERC20's {@code _allowances} mapping in TensorLinkToken
   * ({@code forge inspect TensorLinkToken storageLayout}: {@code _balances} 0, {@code _allowances} 1,
   * {@code _totalSupply} 2, then ERC20Permit's EIP712 and Nonces). Each run checks it: the overridden
   * {@code allowance(owner, spender)} must read back the amount.
   */
  static final BigInteger ALLOWANCES_SLOT = BigInteger.ONE;

  /** What an approve grants: {@code spender} may take {@code amount} of {@code owner}'s tokens at {@code token}. */
  public record Grant(String token, String owner, String spender, BigInteger amount) {}

  /** What the simulation found. */
  sealed interface Outcome {
    /** The call succeeds with the allowance in place; {@code gas} is the node's estimate. */
    record Passes(BigInteger gas) implements Outcome {}

    /** The call reverts even with the allowance in place. */
    record Reverts(DecodedRevert revert) implements Outcome {}

    /** The node cannot simulate with an override (or the token's storage is not the expected one). */
    record Unsupported(String why) implements Outcome {}
  }

  private final Web3jService rpc;
  private final RevertDecoder decoder;

  AllowanceSimulation(final Web3jService rpc, final RevertDecoder decoder) {
    this.rpc = rpc;
    this.decoder = decoder;
  }

  /** The storage key of {@code allowance[owner][spender]}: keccak(spender . keccak(owner . slot)). */
  static String allowanceKey(final String owner, final String spender) {
    final byte[] inner = Hash.sha3(concat(word(Numeric.toBigInt(owner)), word(ALLOWANCES_SLOT)));
    return Numeric.toHexString(Hash.sha3(concat(word(Numeric.toBigInt(spender)), inner)));
  }

  /** Simulates {@code data} sent from {@code grant.owner()} to {@code to} with the grant's allowance in place. */
  Outcome simulate(final Grant grant, final String to, final String data) throws IOException {
    final Map<String, Object> override = override(grant);
    final String check = FunctionEncoder.encode(new Function("allowance",
        List.of(new Address(grant.owner()), new Address(grant.spender())), List.of()));
    final EthCall read = call("eth_call", grant.owner(), grant.token(), check, override, EthCall.class);
    if (read.hasError()) {
      return new Outcome.Unsupported("the node refused an eth_call with a state override: " + read.getError().getMessage());
    }
    if (!grant.amount().equals(Numeric.toBigInt(read.getValue()))) {
      return new Outcome.Unsupported("the token at " + grant.token() + " does not keep its allowances in storage slot "
          + ALLOWANCES_SLOT + " (OpenZeppelin ERC20)");
    }
    final EthCall main = call("eth_call", grant.owner(), to, data, override, EthCall.class);
    if (main.hasError()) {
      return revertOr(main.getError());
    }
    final EthEstimateGas gas = call("eth_estimateGas", grant.owner(), to, data, override, EthEstimateGas.class);
    return gas.hasError() ? revertOr(gas.getError()) : new Outcome.Passes(gas.getAmountUsed());
  }

  private Outcome revertOr(final Response.Error error) {
    final Optional<String> data = revertData(error);
    if (data.isPresent() || error.getMessage().toLowerCase(Locale.ROOT).contains("revert")) {
      return new Outcome.Reverts(decoder.decode(data.orElse("0x")));
    }
    return new Outcome.Unsupported("the simulation failed: " + error.getMessage() + " (code " + error.getCode() + ")");
  }

  /** {@code {token: {stateDiff: {key: amount}}}}: only that slot changes; the rest of the token's storage stays. */
  private static Map<String, Object> override(final Grant grant) {
    final Map<String, Object> diff = Map.of(allowanceKey(grant.owner(), grant.spender()),
        Numeric.toHexStringWithPrefixZeroPadded(grant.amount(), 64));
    final Map<String, Object> override = new LinkedHashMap<>();
    override.put(grant.token(), Map.of("stateDiff", diff));
    return override;
  }

  private <T extends Response<?>> T call(final String method, final String from, final String to, final String data,
      final Map<String, Object> override, final Class<T> type) throws IOException {
    final Map<String, Object> tx = new LinkedHashMap<>();
    tx.put("from", from);
    tx.put("to", to);
    tx.put("data", data);
    return new Request<>(method, List.of(tx, "pending", override), rpc, type).send();
  }

  /** The revert data of an RPC error: a hex string, possibly quoted by the JSON mapping. */
  private static Optional<String> revertData(final Response.Error error) {
    if (error.getData() == null) {
      return Optional.empty();
    }
    final String data = error.getData().trim().replace("\"", "");
    return data.startsWith("0x") ? Optional.of(data) : Optional.empty();
  }

  private static byte[] word(final BigInteger value) {
    return Numeric.toBytesPadded(value, 32);
  }

  private static byte[] concat(final byte[] a, final byte[] b) {
    final byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
