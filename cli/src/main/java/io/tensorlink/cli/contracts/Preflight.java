package io.tensorlink.cli.contracts;

import io.tensorlink.cli.CliException;
import io.tensorlink.cli.support.Units;
import io.tensorlink.contracts.ContractSuite;
import java.math.BigInteger;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.RemoteCall;

/**
 * Checks made before anything is sent, from views only: a failure here is a one-line error and
 * costs no gas, and no approve is mined for a call that could not succeed.
 */
public final class Preflight {
  private Preflight() {}

  /** The account holds at least {@code amount} TL (wei) for {@code purpose}. */
  public static void requireTl(final ContractSuite s, final BigInteger amount, final String purpose) {
    final BigInteger balance = Transactions.call("balanceOf", s.token().balanceOf(s.account()));
    if (balance.compareTo(amount) < 0) {
      throw new CliException(purpose + " needs " + Units.tl(amount) + " but " + Units.address(s.account()) + " holds "
          + Units.tl(balance) + "; nothing was sent");
    }
  }

  /** The account has some ETH to pay gas with. */
  public static void requireGasMoney(final ChainSession session, final String account) {
    final BigInteger wei = Transactions.call("eth_getBalance", new RemoteCall<>(
        () -> session.web3j().ethGetBalance(account, DefaultBlockParameterName.LATEST).send().getBalance()));
    if (wei.signum() == 0) {
      throw new CliException(Units.address(account) + " has no ETH to pay gas with; nothing was sent");
    }
  }

  /** A failed check: the message, and that nothing was sent. */
  public static CliException refuse(final String why) {
    return new CliException(why + "; nothing was sent");
  }
}
