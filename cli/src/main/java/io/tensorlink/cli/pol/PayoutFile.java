package io.tensorlink.cli.pol;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tensorlink.cli.CliException;
import io.tensorlink.cli.ExitCodes;
import io.tensorlink.contracts.pol.PayoutTree;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.web3j.crypto.WalletUtils;
import org.web3j.utils.Numeric;

/**
 * A block's payout leaves from a file, as the node keeps them: the chain has only their root
 * (the header's {@code payoutsRoot}), so a claim's Merkle proof is built from this list. Format:
 * <pre>{"payouts": [{"worker": "0x…", "amount": "50000000000000000000"}, …]}</pre>
 * amounts in wei of TL as decimal strings (or a bare array of those objects).
 */
public final class PayoutFile {
  private static final ObjectMapper JSON = new ObjectMapper();

  private PayoutFile() {}

  /** The payout tree of {@code file}; a one-line error naming the file and entry when it is malformed. */
  public static PayoutTree read(final String option, final Path file) {
    final JsonNode root = readJson(option, file);
    final JsonNode list = root.isArray() ? root : root.path("payouts");
    if (!list.isArray() || list.isEmpty()) {
      throw new CliException(option + " " + file + ": expected {\"payouts\": [{\"worker\": …, \"amount\": …}, …]} with at least one entry",
          ExitCodes.USAGE);
    }
    final Map<String, BigInteger> payouts = new LinkedHashMap<>();
    for (int i = 0; i < list.size(); i++) {
      final JsonNode entry = list.get(i);
      final String where = option + " " + file + ": payouts[" + i + "]";
      final String worker = entry.path("worker").asText("");
      if (!WalletUtils.isValidAddress(worker) || !worker.startsWith("0x")) {
        throw new CliException(where + ".worker is not an address: '" + worker + "'", ExitCodes.USAGE);
      }
      final BigInteger amount;
      try {
        amount = new BigInteger(entry.path("amount").asText(""));
      } catch (NumberFormatException e) {
        throw new CliException(where + ".amount must be whole wei as a decimal string, got '" + entry.path("amount").asText()
            + "'", ExitCodes.USAGE);
      }
      if (amount.signum() <= 0 || amount.bitLength() > 256) {
        throw new CliException(where + ".amount must be positive and fit in 256 bits, got " + amount, ExitCodes.USAGE);
      }
      if (payouts.keySet().stream().anyMatch(worker::equalsIgnoreCase)) {
        throw new CliException(where + ": worker " + worker + " appears twice", ExitCodes.USAGE);
      }
      payouts.put(worker, amount);
    }
    return PayoutTree.of(payouts);
  }

  /** The payout tree of {@code file}, which must hash to {@code payoutsRoot} of the block {@code what}. */
  public static PayoutTree readFor(final String option, final Path file, final byte[] payoutsRoot, final String what) {
    final PayoutTree tree = read(option, file);
    if (!Arrays.equals(tree.root(), payoutsRoot)) {
      throw new CliException(option + " " + file + " hashes to " + Numeric.toHexString(tree.root()) + " but "
          + what + "'s payoutsRoot is " + Numeric.toHexString(payoutsRoot) + ": not this block's payouts",
          ExitCodes.USAGE);
    }
    return tree;
  }

  /** The JSON in {@code file}, or a one-line error (missing, unreadable, not JSON). */
  static JsonNode readJson(final String option, final Path file) {
    try {
      return JSON.readTree(Files.readString(file));
    } catch (NoSuchFileException e) {
      throw new CliException(option + " " + file + ": no such file", ExitCodes.USAGE);
    } catch (JsonProcessingException e) {
      throw new CliException(option + " " + file + " is not JSON (line " + e.getLocation().getLineNr() + ": "
          + e.getOriginalMessage() + ")", ExitCodes.USAGE);
    } catch (IOException e) {
      throw new CliException(option + " " + file + " cannot be read: " + e.getMessage(), ExitCodes.USAGE);
    }
  }
}
