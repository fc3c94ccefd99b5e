package io.tensorlink.cli.stake;

import io.tensorlink.cli.support.Examples;
import io.tensorlink.cli.CliContext;
import io.tensorlink.cli.ExitCodes;
import io.tensorlink.cli.contracts.AccountStatusCommand;
import io.tensorlink.cli.contracts.ChainSession;
import io.tensorlink.cli.contracts.Preflight;
import io.tensorlink.cli.contracts.Sender;
import io.tensorlink.cli.contracts.TransactionCommand;
import io.tensorlink.cli.contracts.TlAmount;
import io.tensorlink.cli.contracts.Transactions;
import io.tensorlink.cli.support.Facts;
import io.tensorlink.cli.support.JsonOption;
import io.tensorlink.cli.support.Units;
import io.tensorlink.contracts.ContractSuite;
import io.tensorlink.contracts.generated.StakeManager;
import java.io.PrintWriter;
import io.tensorlink.contracts.deploy.ChainInfo;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.web3j.tuples.generated.Tuple2;
import org.web3j.tuples.generated.Tuple3;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tl-cli stake add|unstake|withdraw|status}: the account's TL stake in the StakeManager. */
@Command(name = "stake", mixinStandardHelpOptions = true, footerHeading = Examples.HEADING, footer = {"  tl-cli stake add 1000", "  tl-cli stake status"}, description = "Stake TL, start unbonding, withdraw released stake, show stake.")
public final class StakeCommand {
  /** The commands of this group, built only when a command line names the group (see CommandTree). */
  public static List<Class<?>> commands() {
    return List.of(StakeCommand.Add.class, StakeCommand.Unstake.class, StakeCommand.Withdraw.class, StakeCommand.Status.class);
  }


  @Command(name = "add", mixinStandardHelpOptions = true, footerHeading = Examples.HEADING, footer = {"  tl-cli stake add 39900", "  tl-cli stake add 1000 --genesis-account 3 --dry-run"}, description = "Approve the StakeManager if needed and stake <amount> TL.")
  static final class Add extends TransactionCommand {
    @Parameters(index = "0", paramLabel = "<amount>", description = "TL to stake (decimal).", converter = TlAmount.class)
    BigInteger amount;

    @Override
    protected int run(final CliContext ctx, final ChainSession session, final ContractSuite s) {
      Preflight.requireTl(s, amount, "staking");
      Preflight.requireGasMoney(session, s.account());
      final Sender sender = sender(ctx, session, s);
      final List<Sender.Step> steps = new ArrayList<>(sender.approvalFor("StakeManager", s.stakeManager().getContractAddress(), amount));
      steps.add(new Sender.Step("stake", s.stakeManager().stake(amount), s.stakeManager().getContractAddress()));
      sender.send(steps, "stake " + Units.tl(amount) + " from " + Units.address(s.account()), true);
      if (!sender.dryRun()) {
        printStatus(ctx.out(), null, s, s.account());
      }
      return ExitCodes.OK;
    }
  }

  @Command(name = "unstake", mixinStandardHelpOptions = true, footerHeading = Examples.HEADING, footer = {"  tl-cli stake unstake 10", "  tl-cli stake unstake 500 --dry-run"}, description = "Move <amount> TL of stake to unbonding; it is withdrawable after the unbonding period.")
  static final class Unstake extends TransactionCommand {
    @Parameters(index = "0", paramLabel = "<amount>", description = "TL to unbond (decimal).", converter = TlAmount.class)
    BigInteger amount;

    @Override
    protected int run(final CliContext ctx, final ChainSession session, final ContractSuite s) {
      final StakeManager sm = s.stakeManager();
      final BigInteger staked = Transactions.call("stakeOf", sm.stakeOf(s.account()));
      if (staked.compareTo(amount) < 0) {
        throw Preflight.refuse("cannot unstake " + Units.tl(amount) + ": " + Units.address(s.account()) + " has " + Units.tl(staked) + " staked");
      }
      Preflight.requireGasMoney(session, s.account());
      final StakeManager.Params params = Transactions.call("params", sm.params());
      final BigInteger left = staked.subtract(amount);
      if (Transactions.call("isRegisteredValidator", sm.isRegisteredValidator(s.account())) && left.compareTo(params.minValidatorStake) < 0) {
        warn("after this unstake " + Units.tl(left) + " stays staked, below the validator minimum "
            + Units.tl(params.minValidatorStake) + ": the account drops out of the validator set");
      } else if (left.signum() > 0 && left.compareTo(params.minWorkerStake) < 0) {
        warn("after this unstake " + Units.tl(left) + " stays staked, below the worker minimum "
            + Units.tl(params.minWorkerStake) + ": the account can no longer take jobs");
      }
      final Sender sender = sender(ctx, session, s);
      sender.send(List.of(new Sender.Step("requestUnstake", sm.requestUnstake(amount), sm.getContractAddress())),
          "unbond " + Units.tl(amount) + " of " + Units.address(s.account()) + "'s stake", true);
      if (!sender.dryRun()) {
        printStatus(ctx.out(), null, s, s.account());
      }
      return ExitCodes.OK;
    }
  }

  @Command(name = "withdraw", mixinStandardHelpOptions = true, footerHeading = Examples.HEADING, footer = {"  tl-cli stake withdraw"}, description = "Withdraw the released unbonding stake to the account.")
  static final class Withdraw extends TransactionCommand {
    @Override
    protected int run(final CliContext ctx, final ChainSession session, final ContractSuite s) {
      final Tuple2<BigInteger, BigInteger> unbonding = Transactions.call("unbondingOf", s.stakeManager().unbondingOf(s.account()));
      if (unbonding.component1().signum() == 0) {
        throw Preflight.refuse(Units.address(s.account()) + " has nothing unbonding to withdraw");
      }
      final BigInteger now = ChainInfo.latestBlock(session.web3j()).getTimestamp();
      if (now.compareTo(unbonding.component2()) < 0) {
        throw Preflight.refuse(Units.tl(unbonding.component1()) + " is still unbonding until " + Units.time(unbonding.component2())
            + " (chain time " + Units.time(now) + ")");
      }
      final BigInteger before = Transactions.call("balanceOf", s.token().balanceOf(s.account()));
      final Sender sender = sender(ctx, session, s);
      sender.send(List.of(new Sender.Step("withdraw", s.stakeManager().withdraw(), s.stakeManager().getContractAddress())),
          "withdraw " + Units.tl(unbonding.component1()) + " of released stake", false);
      if (!sender.dryRun()) {
        final BigInteger after = Transactions.call("balanceOf", s.token().balanceOf(s.account()));
        ctx.out().printf("withdrawn: %s, balance: %s%n", Units.tl(after.subtract(before)), Units.tl(after));
        printStatus(ctx.out(), null, s, s.account());
      }
      return ExitCodes.OK;
    }
  }

  @Command(name = "status", mixinStandardHelpOptions = true, footerHeading = Examples.HEADING, footer = {"  tl-cli stake status", "  tl-cli stake status --address 0x70997970C51812dc3A010C7d01b50e0d17dc79C8 --json"}, description = "Show an account's stake, unbonding, roles and reputation.")
  static final class Status extends AccountStatusCommand {
    @Override
    protected void print(final PrintWriter out, final ContractSuite s, final String account) {
      printStatus(out, json, s, account);
    }
  }

  /** The stake state of {@code who}, one fact per line (or one JSON object). */
  static void printStatus(final PrintWriter out, final JsonOption json, final ContractSuite s, final String who) {
    final StakeManager sm = s.stakeManager();
    final Tuple2<BigInteger, BigInteger> unbonding = Transactions.call("unbondingOf", sm.unbondingOf(who));
    final Tuple3<BigInteger, BigInteger, BigInteger> reputation = Transactions.call("reputation", sm.reputation(who));
    final BigInteger staked = Transactions.call("stakeOf", sm.stakeOf(who));
    final boolean unbondingSome = unbonding.component1().signum() != 0;
    final String validator = Transactions.call("isActiveValidator", sm.isActiveValidator(who)) ? "active"
        : Transactions.call("isRegisteredValidator", sm.isRegisteredValidator(who)) ? "registered" : "no";
    final boolean worker = Transactions.call("isWorker", sm.isWorker(who));
    Facts.print(out, json, f -> f
        .fact("account", Units.address(who), "account", Units.address(who))
        .fact("staked", Units.plain(staked), "staked", Units.tl(staked)).put("stakedWei", staked.toString())
        .fact("unbonding", Units.plain(unbonding.component1()), "unbonding", Units.tl(unbonding.component1())
            + (unbondingSome ? " (release at " + Units.time(unbonding.component2()) + ")" : ""))
        .put("unbondingWei", unbonding.component1().toString())
        .put("releaseAt", unbondingSome ? Units.time(unbonding.component2()) : null)
        .fact("worker", worker, "worker", yesNo(worker))
        .fact("validator", validator, "validator", "registered".equals(validator) ? "registered, not in the active set" : validator)
        .put("verifiedSteps", reputation.component1()).put("slashes", reputation.component2()).put("missedVotes", reputation.component3())
        .line("reputation: " + reputation.component1() + " verified steps, " + reputation.component2() + " slashes, " + reputation.component3() + " missed votes"));
  }

  private static String yesNo(final boolean b) {
    return b ? "yes" : "no";
  }
}
