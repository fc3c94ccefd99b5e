package io.tensorlink.contracts.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import io.tensorlink.contracts.devnet.DevnetGenesis;
import io.tensorlink.contracts.devnet.GenesisException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything the deployer passes to the suite's constructors, in contract units (wei, seconds,
 * basis points), read from the genesis keys documented in {@code docs/contracts.md}.
 *
 * <p>Range checks are left to the contracts (their {@code …ParamOutOfBounds} errors name the
 * parameter and bounds, and the deployer's pre-flight turns them into a readable message); this
 * class only rejects what cannot be encoded at all.
 */
public record SuiteParameters(
    String tokenName,
    String tokenSymbol,
    List<Allocation> allocations,
    BigInteger minValidatorStake,
    BigInteger minWorkerStake,
    long unbondingPeriodSeconds,
    int maxValidators,
    long epochLengthSeconds,
    long challengeWindowSeconds,
    int validatorFeeBps,
    int protocolFeeBps,
    int maxWorkersPerJob,
    String treasury,
    BigInteger challengeBond,
    long votingWindowSeconds,
    int committeeSize,
    int challengerRewardBps,
    int slashBps) {

  /** 10^18: TL has 18 decimals and the genesis file gives whole TL. */
  public static final BigInteger WEI_PER_TL = BigInteger.TEN.pow(18);

  public SuiteParameters {
    allocations = List.copyOf(allocations);
  }

  /**
   * One genesis allocation.
   *
   * @param holder the receiving address
   * @param amount wei of TL
   */
  public record Allocation(String holder, BigInteger amount) {}

  /** {@link #fromGenesis(DevnetGenesis, long)} for a deployment to the genesis file's own chain. */
  public static SuiteParameters fromGenesis(final DevnetGenesis genesis) {
    return fromGenesis(genesis, genesis.chainId());
  }

  /**
   * Reads the token, staking, escrow and disputes sections for a deployment to chain {@code
   * targetChainId}. Holders are explicit {@code address}es, or {@code account} indices of the
   * genesis mnemonic, which only the devnet's chain accepts ({@link MnemonicAccounts#forDeployment}).
   */
  public static SuiteParameters fromGenesis(final DevnetGenesis genesis, final long targetChainId) {
    final Holders accounts = new Holders(genesis, targetChainId);
    final JsonNode token = genesis.section("token");
    final JsonNode staking = genesis.section("staking");
    final JsonNode escrow = genesis.section("escrow");
    final JsonNode disputes = genesis.section("disputes");
    final List<Allocation> allocations = new ArrayList<>();
    final JsonNode list = token.path("allocations");
    if (!list.isArray()) {
      throw new GenesisException("token.allocations: must be an array");
    }
    for (int i = 0; i < list.size(); i++) {
      final String key = "token.allocations[" + i + "]";
      allocations.add(new Allocation(accounts.holder(list.get(i), "address", "account", key), tl(list.get(i), "amount", key)));
    }
    return new SuiteParameters(
        text(token, "name", "token"),
        text(token, "symbol", "token"),
        allocations,
        tl(staking, "minValidatorStake", "staking"),
        tl(staking, "minWorkerStake", "staking"),
        integer(staking, "unbondingPeriodSeconds", "staking"),
        (int) integer(staking, "maxValidators", "staking"),
        integer(staking, "epochLengthSeconds", "staking"),
        integer(escrow, "challengeWindowSeconds", "escrow"),
        (int) integer(escrow, "validatorFeeBps", "escrow"),
        (int) integer(escrow, "protocolFeeBps", "escrow"),
        (int) integer(escrow, "maxWorkersPerJob", "escrow"),
        accounts.holder(escrow, "treasury", "treasuryAccount", "escrow"),
        tl(disputes, "challengeBond", "disputes"),
        integer(disputes, "votingWindowSeconds", "disputes"),
        (int) integer(disputes, "committeeSize", "disputes"),
        (int) integer(disputes, "challengerRewardBps", "disputes"),
        (int) integer(disputes, "slashBps", "disputes"));
  }

  /** Whole TL as a decimal string (fractions allowed down to one wei) to wei. */
  static BigInteger tl(final JsonNode section, final String field, final String where) {
    final JsonNode node = section.get(field);
    if (node == null || !(node.isTextual() || node.isIntegralNumber())) {
      throw new GenesisException(where + "." + field + ": must be a TL amount as a decimal string");
    }
    try {
      final BigDecimal wei = new BigDecimal(node.asText().trim()).multiply(new BigDecimal(WEI_PER_TL));
      if (wei.signum() < 0) {
        throw new GenesisException(where + "." + field + ": must not be negative");
      }
      return wei.toBigIntegerExact();
    } catch (NumberFormatException e) {
      throw new GenesisException(where + "." + field + ": '" + node.asText() + "' is not a decimal number", e);
    } catch (ArithmeticException e) {
      throw new GenesisException(where + "." + field + ": more than 18 decimals", e);
    }
  }

  private static long integer(final JsonNode section, final String field, final String where) {
    final JsonNode node = section.get(field);
    if (node == null || !node.isIntegralNumber() || !node.canConvertToLong() || node.longValue() < 0) {
      throw new GenesisException(where + "." + field + ": must be a non-negative integer");
    }
    return node.longValue();
  }

  private static String text(final JsonNode section, final String field, final String where) {
    final JsonNode node = section.get(field);
    if (node == null || !node.isTextual() || node.asText().isBlank()) {
      throw new GenesisException(where + "." + field + ": must be a non-empty string");
    }
    return node.asText();
  }

  /** Resolves holders: an explicit address, or a mnemonic index (derived only when one is used). */
  private static final class Holders {
    private final DevnetGenesis genesis;
    private final long targetChainId;
    private MnemonicAccounts mnemonic;

    Holders(final DevnetGenesis genesis, final long targetChainId) {
      this.genesis = genesis;
      this.targetChainId = targetChainId;
    }

    String holder(final JsonNode section, final String addressField, final String indexField, final String where) {
      final JsonNode address = section.get(addressField);
      if (address != null) {
        if (section.has(indexField)) {
          throw new GenesisException(where + ": give " + addressField + " or " + indexField + ", not both");
        }
        if (!address.isTextual() || !address.asText().matches("0x[0-9a-fA-F]{40}")) {
          throw new GenesisException(where + "." + addressField + ": must be a 0x-prefixed 20-byte hex address");
        }
        return address.asText();
      }
      final int index = (int) integer(section, indexField, where);
      final String key = where + "." + indexField;
      if (mnemonic == null) {
        mnemonic = MnemonicAccounts.forDeployment(genesis, targetChainId, key);
      }
      if (index >= genesis.accounts()) {
        throw new GenesisException(key + ": account " + index + " does not exist (the genesis funds " + genesis.accounts() + ")");
      }
      return mnemonic.address(index);
    }
  }
}
