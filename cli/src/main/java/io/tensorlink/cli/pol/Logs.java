package io.tensorlink.cli.pol;

import io.tensorlink.cli.CliException;
import io.tensorlink.cli.ExitCodes;
import io.tensorlink.cli.contracts.ChainSession;
import java.io.IOException;
import java.util.List;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.core.methods.response.Log;

/** {@code eth_getLogs} for the commands that read contract events: the logs still in the chain, or a one-line error. */
public final class Logs {
  private Logs() {}

  public static List<Log> get(final ChainSession session, final EthFilter filter) {
    final EthLog answer;
    try {
      answer = session.web3j().ethGetLogs(filter).send();
    } catch (IOException e) {
      throw new CliException("eth_getLogs failed: " + e.getMessage(), ExitCodes.NOT_RUNNING, e);
    }
    if (answer.hasError()) {
      throw new CliException("eth_getLogs failed: " + answer.getError().getMessage());
    }
    return answer.getLogs().stream().map(r -> (Log) r.get()).filter(l -> !l.isRemoved()).toList();
  }
}
