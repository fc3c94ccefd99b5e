package io.tensorlink.cli.stake;

import io.tensorlink.cli.CliContext;
import io.tensorlink.cli.ExitCodes;
import io.tensorlink.cli.contracts.AccountStatusCommand;
import io.tensorlink.cli.contracts.ChainSession;
import io.tensorlink.cli.contracts.SuiteCommand;
import io.tensorlink.cli.contracts.TlAmount;
import io.tensorlink.cli.contracts.Transactions;
import io.tensorlink.contracts.ContractSuite;
import io.tensorlink.contracts.generated.StakeManager;
import java.io.PrintWriter;
import java.math.BigInteger;
import java.time.Instant;
import org.web3j.tuples.generated.Tuple2;
import org.web3j.tuples.generated.Tuple3;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tl-cli stake add|unstake|withdraw|status}: the account's TL stake in the StakeManager. */
@Command(name = "stake", mixinStandardHelpOptions = true, description = "Stake TL, start unbonding, withdraw released stake, show stake.",
    subcommands = {StakeCommand.Add.class, StakeCommand.Unstake.class, StakeCommand.Withdraw.class, StakeCommand.Status.class})
public final class StakeCommand {

  @Command(name = "add", mixinStandardHelpOptions = true, description = "Approve the StakeManager if needed and stake <amount> TL.")
  static final class Add extends SuiteCommand {
    @Parameters(index = "0", paramLabel = "<amount>", description = "TL to stake (decimal).", converter = TlAmount.class)
    BigInteger amount;

    @Override
    protected int run(final CliContext ctx, final ChainSession session, final ContractSuite s) {
      final PrintWriter out = ctx.out();
      Transactions.approveIfShort(out, s, s.stakeManager().getContractAddress(), amount);
      Transactions.send(out, "stake", s.stakeManager().stake(amount));
      printStatus(out, s, s.account());
      return ExitCodes.OK;
    }
  }

  @Command(name = "unstake", mixinStandardHelpOptions = true, description = "Move <amount> TL of stake to unbonding; it is withdrawable after the unbonding period.")
  static final class Unstake extends SuiteCommand {
    @Parameters(index = "0", paramLabel = "<amount>", description = "TL to unbond (decimal).", converter = TlAmount.class)
    BigInteger amount;

    @Override
    protected int run(final CliContext ctx, final ChainSession session, final ContractSuite s) {
      Transactions.send(ctx.out(), "requestUnstake", s.stakeManager().requestUnstake(amount));
      printStatus(ctx.out(), s, s.account());
      return ExitCodes.OK;
    }
  }

  @Command(name = "withdraw", mixinStandardHelpOptions = true, description = "Withdraw the released unbonding stake to the account.")
  static final class Withdraw extends SuiteCommand {
    @Override
    protected int run(final CliContext ctx, final ChainSession session, final ContractSuite s) {
      final BigInteger before = Transactions.call("balanceOf", s.token().balanceOf(s.account()));
      Transactions.send(ctx.out(), "withdraw", s.stakeManager().withdraw());
      final BigInteger after = Transactions.call("balanceOf", s.token().balanceOf(s.account()));
      ctx.out().printf("withdrawn: %s, balance: %s%n", TlAmount.format(after.subtract(before)), TlAmount.format(after));
      printStatus(ctx.out(), s, s.account());
      return ExitCodes.OK;
    }
  }

  @Command(name = "status", mixinStandardHelpOptions = true, description = "Show an account's stake, unbonding, roles and reputation.")
  static final class Status extends AccountStatusCommand {
    @Override
    protected void print(final PrintWriter out, final ContractSuite s, final String account) {
      printStatus(out, s, account);
    }
  }

  /** The stake state of {@code who}, one fact per line. */
  static void printStatus(final PrintWriter out, final ContractSuite s, final String who) {
    final StakeManager sm = s.stakeManager();
    final Tuple2<BigInteger, BigInteger> unbonding = Transactions.call("unbondingOf", sm.unbondingOf(who));
    final Tuple3<BigInteger, BigInteger, BigInteger> reputation = Transactions.call("reputation", sm.reputation(who));
    out.printf("account: %s%n", who);
    out.printf("staked: %s%n", TlAmount.format(Transactions.call("stakeOf", sm.stakeOf(who))));
    out.printf("unbonding: %s%s%n", TlAmount.format(unbonding.component1()),
        unbonding.component1().signum() == 0 ? "" : " (release at " + Instant.ofEpochSecond(unbonding.component2().longValueExact()) + ")");
    out.printf("worker: %s%n", yesNo(Transactions.call("isWorker", sm.isWorker(who))));
    out.printf("validator: %s%n", Transactions.call("isActiveValidator", sm.isActiveValidator(who)) ? "active"
        : Transactions.call("isRegisteredValidator", sm.isRegisteredValidator(who)) ? "registered, not in the active set" : "no");
    out.printf("reputation: %s verified steps, %s slashes, %s missed votes%n",
        reputation.component1(), reputation.component2(), reputation.component3());
  }

  private static String yesNo(final boolean b) {
    return b ? "yes" : "no";
  }
}
