package io.tensorlink.cli.validator;

import io.tensorlink.cli.support.Examples;
import io.tensorlink.cli.CliContext;
import io.tensorlink.cli.ExitCodes;
import io.tensorlink.cli.contracts.AccountStatusCommand;
import io.tensorlink.cli.contracts.ChainSession;
import io.tensorlink.cli.contracts.Preflight;
import io.tensorlink.cli.contracts.Sender;
import io.tensorlink.cli.contracts.TransactionCommand;
import io.tensorlink.cli.contracts.Transactions;
import io.tensorlink.cli.contracts.ViewCommand;
import io.tensorlink.cli.support.Facts;
import io.tensorlink.cli.support.JsonOption;
import io.tensorlink.cli.support.Units;
import io.tensorlink.contracts.ContractSuite;
import io.tensorlink.contracts.generated.StakeManager;
import java.io.PrintWriter;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.web3j.tuples.generated.Tuple3;
import org.web3j.tuples.generated.Tuple4;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code tl-cli validator register|unregister|list|status}: candidacy for the validator active set. */
@Command(name = "validator", mixinStandardHelpOptions = true, footerHeading = Examples.HEADING, footer = {"  tl-cli validator register", "  tl-cli validator status"}, description = {"Register as a validator and show the active set.",
    "A validator leaves the set with 'unregister' (its stake stays bonded), by unstaking below",
    "minValidatorStake ('tl-cli stake unstake'), or when larger stakes outrank it."})
public final class ValidatorCommand {
  /** The commands of this group, built only when a command line names the group (see CommandTree). */
  public static List<Class<?>> commands() {
    return List.of(ValidatorCommand.Register.class, ValidatorCommand.Unregister.class, ValidatorCommand.Status.class,
        ValidatorCommand.ListActive.class);
  }


  @Command(name = "register", mixinStandardHelpOptions = true, footerHeading = Examples.HEADING, footer = {"  tl-cli validator register", "  tl-cli validator register --genesis-account 1"}, description = {
      "Register the account as a validator candidate and try to enter the active set.",
      "Needs minValidatorStake staked; the active set is the top maxValidators by stake. A new member",
      "signs PoL blocks from the next epoch."})
  static final class Register extends TransactionCommand {
    @Override
    protected int run(final CliContext ctx, final ChainSession session, final ContractSuite s) {
      final StakeManager sm = s.stakeManager();
      if (Transactions.call("isRegisteredValidator", sm.isRegisteredValidator(s.account()))) {
        throw Preflight.refuse(Units.address(s.account()) + " is already registered as a validator");
      }
      final BigInteger staked = Transactions.call("stakeOf", sm.stakeOf(s.account()));
      final BigInteger minimum = Transactions.call("params", sm.params()).minValidatorStake;
      if (staked.compareTo(minimum) < 0) {
        throw Preflight.refuse(Units.address(s.account()) + " has " + Units.tl(staked) + " staked, below the validator minimum "
            + Units.tl(minimum) + " ('tl-cli stake add' first)");
      }
      Preflight.requireGasMoney(session, s.account());
      final Sender sender = sender(ctx, session, s);
      sender.send(List.of(new Sender.Step("registerValidator", sm.registerValidator(), sm.getContractAddress())),
          "register " + Units.address(s.account()) + " as a validator", false);
      if (!sender.dryRun()) {
        printStatus(ctx.out(), null, s, s.account());
      }
      return ExitCodes.OK;
    }
  }

  @Command(name = "unregister", mixinStandardHelpOptions = true, footerHeading = Examples.HEADING,
      footer = {"  tl-cli validator unregister", "  tl-cli validator unregister --genesis-account 1 --yes"}, description = {
      "Withdraw the account's validator candidacy: it leaves the active set at once and signs no more blocks.",
      "The stake stays bonded (unstake it with 'tl-cli stake unstake'); 'validator register' undoes this."})
  static final class Unregister extends TransactionCommand {
    @Override
    protected int run(final CliContext ctx, final ChainSession session, final ContractSuite s) {
      final StakeManager sm = s.stakeManager();
      if (!Transactions.call("isRegisteredValidator", sm.isRegisteredValidator(s.account()))) {
        throw Preflight.refuse(Units.address(s.account()) + " is not registered as a validator");
      }
      Preflight.requireGasMoney(session, s.account());
      final Sender sender = sender(ctx, session, s);
      sender.send(List.of(new Sender.Step("unregisterValidator", sm.unregisterValidator(), sm.getContractAddress())),
          "withdraw the validator candidacy of " + Units.address(s.account()), false);
      if (!sender.dryRun()) {
        printStatus(ctx.out(), null, s, s.account());
      }
      return ExitCodes.OK;
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, footerHeading = Examples.HEADING,
      footer = {"  tl-cli validator list", "  tl-cli validator list --json"},
      description = "List the live active validator set with each member's stake, largest first.")
  static final class ListActive extends ViewCommand {
    @Mixin JsonOption json;

    @Override
    protected int run(final CliContext ctx, final ChainSession session, final ContractSuite s) {
      final Tuple3<List<String>, List<BigInteger>, BigInteger> live = Transactions.call("activeValidators", s.stakeManager().activeValidators());
      final List<Member> members = new ArrayList<>();
      for (int i = 0; i < live.component1().size(); i++) {
        members.add(new Member(Units.address(live.component1().get(i)), live.component2().get(i)));
      }
      members.sort(Comparator.comparing(Member::stake).reversed());
      Facts.print(ctx.out(), json, f -> {
        f.put("validators", members.stream().map(m -> Map.of("address", m.address(), "stake", Units.plain(m.stake()))).toList())
            .put("totalStake", Units.plain(live.component3()));
        members.forEach(m -> f.line(m.address() + "  " + Units.tl(m.stake())));
        f.line(members.size() + " active, " + Units.tl(live.component3()) + " staked in total");
      });
      return ExitCodes.OK;
    }

    private record Member(String address, BigInteger stake) {}
  }

  @Command(name = "status", mixinStandardHelpOptions = true, footerHeading = Examples.HEADING, footer = {"  tl-cli validator status", "  tl-cli validator status --json"}, description = "Show an account's validator state, the live active set and the epoch snapshot.")
  static final class Status extends AccountStatusCommand {
    @Override
    protected void print(final PrintWriter out, final ContractSuite s, final String account) {
      printStatus(out, json, s, account);
    }
  }

  static void printStatus(final PrintWriter out, final JsonOption json, final ContractSuite s, final String who) {
    final StakeManager sm = s.stakeManager();
    final boolean registered = Transactions.call("isRegisteredValidator", sm.isRegisteredValidator(who));
    final boolean active = Transactions.call("isActiveValidator", sm.isActiveValidator(who));
    final Tuple3<List<String>, List<BigInteger>, BigInteger> live = Transactions.call("activeValidators", sm.activeValidators());
    final Tuple4<BigInteger, List<String>, List<BigInteger>, BigInteger> snap = Transactions.call("activeSnapshot", sm.activeSnapshot());
    final boolean inSnapshot = snap.component2().stream().anyMatch(a -> a.equalsIgnoreCase(who));
    final BigInteger staked = Transactions.call("stakeOf", sm.stakeOf(who));
    final BigInteger minimum = Transactions.call("params", sm.params()).minValidatorStake;
    final BigInteger max = Transactions.call("maxValidators", sm.maxValidators());
    Facts.print(out, json, f -> f
        .fact("account", Units.address(who), "account", Units.address(who))
        .fact("staked", Units.plain(staked), "staked", Units.tl(staked) + " (minimum " + Units.tl(minimum) + ")")
        .put("minimumStake", Units.plain(minimum))
        .fact("registered", registered, "registered", yesNo(registered))
        .fact("active", active, "active", yesNo(active))
        .put("epoch", snap.component1()).put("inSnapshot", inSnapshot)
        .line("in epoch " + snap.component1() + " snapshot: " + yesNo(inSnapshot))
        .put("activeSetSize", live.component1().size()).put("maxValidators", max).put("activeSetStake", Units.plain(live.component3()))
        .line("active set: " + live.component1().size() + " of " + max + " validators, " + Units.tl(live.component3()) + " staked"));
  }

  private static String yesNo(final boolean b) {
    return b ? "yes" : "no";
  }
}
