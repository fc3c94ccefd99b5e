package io.tensorlink.cli.contracts;

import io.tensorlink.cli.CliException;
import io.tensorlink.contracts.revert.ContractRevertException;
import io.tensorlink.cli.support.Units;
import java.io.PrintWriter;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.protocol.core.RemoteCall;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/**
 * Sends a transaction or call for a command and reports it the same way everywhere: the hash and
 * gas used of what was mined, or the decoded custom error of what reverted.
 */
public final class Transactions {
  private static final Logger LOG = LoggerFactory.getLogger(Transactions.class);
  private Transactions() {}

  /**
   * Sends, prints {@code <action>: tx <hash>, gas used <n>, block <b>}, logs hash, nonce and gas at
   * INFO, returns the receipt.
   */
  public static TransactionReceipt send(final PrintWriter out, final String action, final RemoteCall<TransactionReceipt> call) {
    final TransactionReceipt r = call(action, call);
    LOG.info("tx {}: hash {} from {} to {}, gas used {}, block {}", action, r.getTransactionHash(), r.getFrom(), r.getTo(),
        r.getGasUsed(), r.getBlockNumber());
    out.printf(Locale.ROOT, "%s: tx %s, gas used %s, block %d%n", action, r.getTransactionHash(), Units.count(r.getGasUsed().longValueExact()),
        r.getBlockNumber());
    out.flush();
    return r;
  }

  /** Runs a view or transaction; a revert becomes a one-line error naming the custom error and its arguments. */
  public static <T> T call(final String action, final RemoteCall<T> call) {
    try {
      return call.send();
    } catch (ContractRevertException e) {
      final String message = action + " reverted: " + RevertText.human(e.revert()) + e.transactionHash().map(h -> " (tx " + h + ")").orElse("");
      LOG.info("{}", message);
      throw new CliException(message);
    } catch (CliException e) {
      throw e;
    } catch (Exception e) {
      final String message = action + " failed: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
      LOG.info("{}", message);
      throw new CliException(message);
    }
  }
}
