package io.tensorlink.cli.validator;

import io.tensorlink.cli.support.Examples;
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
import java.util.List;
import org.web3j.tuples.generated.Tuple3;
import org.web3j.tuples.generated.Tuple4;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tl-cli validator register|status}: candidacy for the validator active set. */
@Command(name = "validator", mixinStandardHelpOptions = true, footerHeading = Examples.HEADING, footer = {"  tl-cli validator register", "  tl-cli validator status"}, description = "Register as a validator and show the active set.",
    subcommands = {ValidatorCommand.Register.class, ValidatorCommand.Status.class})
public final class ValidatorCommand {

  @Command(name = "register", mixinStandardHelpOptions = true, footerHeading = Examples.HEADING, footer = {"  tl-cli validator register", "  tl-cli validator register --genesis-account 1"}, description = {
      "Register the account as a validator candidate and try to enter the active set.",
      "Needs minValidatorStake staked; the active set is the top maxValidators by stake. A new member",
      "signs PoL blocks from the next epoch."})
  static final class Register extends SuiteCommand {
    @Override
    protected int run(final CliContext ctx, final ChainSession session, final ContractSuite s) {
      Transactions.send(ctx.out(), "registerValidator", s.stakeManager().registerValidator());
      printStatus(ctx.out(), s, s.account());
      return ExitCodes.OK;
    }
  }

  @Command(name = "status", mixinStandardHelpOptions = true, footerHeading = Examples.HEADING, footer = {"  tl-cli validator status", "  tl-cli validator status --json"}, description = "Show an account's validator state, the live active set and the epoch snapshot.")
  static final class Status extends AccountStatusCommand {
    @Override
    protected void print(final PrintWriter out, final ContractSuite s, final String account) {
      printStatus(out, s, account);
    }
  }

  @SuppressWarnings("unchecked")
  static void printStatus(final PrintWriter out, final ContractSuite s, final String who) {
    final StakeManager sm = s.stakeManager();
    final boolean registered = Transactions.call("isRegisteredValidator", sm.isRegisteredValidator(who));
    final boolean active = Transactions.call("isActiveValidator", sm.isActiveValidator(who));
    final Tuple3<List<String>, List<BigInteger>, BigInteger> live = Transactions.call("activeValidators", sm.activeValidators());
    final Tuple4<BigInteger, List<String>, List<BigInteger>, BigInteger> snap = Transactions.call("activeSnapshot", sm.activeSnapshot());
    final boolean inSnapshot = snap.component2().stream().anyMatch(a -> a.equalsIgnoreCase(who));
    out.printf("account: %s%n", who);
    out.printf("staked: %s (minimum %s)%n", TlAmount.format(Transactions.call("stakeOf", sm.stakeOf(who))),
        TlAmount.format(Transactions.call("params", sm.params()).minValidatorStake));
    out.printf("registered: %s%nactive: %s%nin epoch %s snapshot: %s%n", yesNo(registered), yesNo(active), snap.component1(), yesNo(inSnapshot));
    out.printf("active set: %d of %s validators, %s staked%n", live.component1().size(),
        Transactions.call("maxValidators", sm.maxValidators()), TlAmount.format(live.component3()));
  }

  private static String yesNo(final boolean b) {
    return b ? "yes" : "no";
  }
}
