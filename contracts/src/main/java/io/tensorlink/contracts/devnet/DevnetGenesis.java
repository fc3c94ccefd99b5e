package io.tensorlink.contracts.devnet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The devnet definition in {@code genesis/devnet.json}: what anvil is started with (chain id,
 * accounts, balances) plus the contract parameter sections the deployer reads.
 *
 * @param name network name
 * @param chainId EIP-155 chain id
 * @param rpcHost loopback address the devnet listens on
 * @param rpcPort default RPC port for {@code tl-cli devnet up}
 * @param blockTimeSeconds 0 for automine, else the interval between blocks
 * @param mnemonic BIP-39 mnemonic the funded accounts derive from (a public test mnemonic); empty in
 *     network files for real chains, which name every address (genesis/testnet.json)
 * @param accounts number of funded accounts (0 without a mnemonic)
 * @param etherBalance ether per funded account (0 without a mnemonic)
 * @param document the whole file, for the contract sections ({@code token}, {@code staking}, …)
 */
public record DevnetGenesis(
    String name,
    long chainId,
    String rpcHost,
    int rpcPort,
    int blockTimeSeconds,
    String mnemonic,
    int accounts,
    BigInteger etherBalance,
    JsonNode document) {

  public DevnetGenesis {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(rpcHost, "rpcHost");
    Objects.requireNonNull(mnemonic, "mnemonic");
    Objects.requireNonNull(etherBalance, "etherBalance");
    Objects.requireNonNull(document, "document");
    require(chainId > 0, "chainId", "must be positive, got " + chainId);
    require(rpcPort >= 0 && rpcPort <= 65535, "rpcPort", "must be 0..65535, got " + rpcPort);
    require(blockTimeSeconds >= 0, "blockTimeSeconds", "must be >= 0, got " + blockTimeSeconds);
    if (mnemonic.isBlank()) {
      require(accounts == 0, "accounts", "must be 0 without a mnemonic, got " + accounts);
    } else {
      require(accounts > 0 && accounts <= 1000, "accounts", "must be 1..1000, got " + accounts);
      require(etherBalance.signum() > 0, "etherBalance", "must be positive, got " + etherBalance);
      require(mnemonic.trim().split("\\s+").length >= 12, "mnemonic", "must have at least 12 words");
    }
  }

  /** Reads and validates a genesis file; every problem names the file and the key. */
  public static DevnetGenesis load(final Path file) {
    final JsonNode root;
    try {
      root = new ObjectMapper().readTree(file.toFile());
    } catch (IOException e) {
      throw new GenesisException(file + ": cannot read genesis: " + e.getMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new GenesisException(file + ": genesis must be a JSON object");
    }
    try {
      return new DevnetGenesis(
          text(root, "name"),
          longValue(root, "chainId"),
          text(root, "rpcHost"),
          (int) longValue(root, "rpcPort"),
          (int) longValue(root, "blockTimeSeconds"),
          root.has("mnemonic") ? text(root, "mnemonic") : "",
          root.has("accounts") ? (int) longValue(root, "accounts") : 0,
          new BigInteger(root.has("etherBalance") ? text(root, "etherBalance") : "0"),
          root);
    } catch (GenesisException e) {
      throw new GenesisException(file + ": " + e.getMessage(), e);
    } catch (NumberFormatException e) {
      throw new GenesisException(file + ": etherBalance: not an integer", e);
    }
  }

  /** Finds {@code genesis/devnet.json} in {@code dir} or one of its parents. */
  public static Path locate(final Path dir) {
    for (Path d = dir.toAbsolutePath(); d != null; d = d.getParent()) {
      final Path candidate = d.resolve("genesis").resolve("devnet.json");
      if (Files.isRegularFile(candidate)) {
        return candidate;
      }
    }
    throw new GenesisException("genesis/devnet.json not found in " + dir.toAbsolutePath() + " or its parents");
  }

  /** A contract parameter section such as {@code staking}; an error names a missing one. */
  public JsonNode section(final String key) {
    final JsonNode node = document.get(key);
    if (node == null || !node.isObject()) {
      throw new GenesisException("genesis section '" + key + "' is missing or not an object");
    }
    return node;
  }

  private static String text(final JsonNode root, final String key) {
    final JsonNode node = root.get(key);
    if (node == null || node.isNull()) {
      throw new GenesisException(key + ": missing");
    }
    if (!node.isValueNode()) {
      throw new GenesisException(key + ": must be a plain value");
    }
    return node.asText();
  }

  private static long longValue(final JsonNode root, final String key) {
    final JsonNode node = root.get(key);
    if (node == null || !node.canConvertToLong() || !node.isIntegralNumber()) {
      throw new GenesisException(key + ": must be an integer");
    }
    return node.longValue();
  }

  private static void require(final boolean ok, final String key, final String message) {
    if (!ok) {
      throw new GenesisException(key + ": " + message);
    }
  }
}
