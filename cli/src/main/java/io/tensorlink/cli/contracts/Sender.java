package io.tensorlink.cli.contracts;

import io.tensorlink.cli.CliContext;
import io.tensorlink.cli.CliException;
import io.tensorlink.cli.ExitCodes;
import io.tensorlink.cli.support.Units;
import io.tensorlink.contracts.ContractSuite;
import io.tensorlink.contracts.revert.RevertDecoder;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.core.RemoteCall;
import org.web3j.protocol.core.RemoteFunctionCall;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthEstimateGas;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/**
 * Sends the transactions of one command after its pre-flight checks: all of them, or with
 * {@code --dry-run} none (each is estimated and its fee printed instead). Before an approve is
 * sent, the call that spends the allowance is simulated with the allowance already in place
 * ({@link AllowanceSimulation}), so no approve is mined for a call that would revert. Value-moving
 * commands ask for confirmation on a terminal unless {@code --yes}, and refuse off a terminal
 * without it.
 */
public final class Sender {
  private static final Logger LOG = LoggerFactory.getLogger(Sender.class);

  /** Set by bin/tl-cli to 1 when stdin is a terminal (0 when not), so a confirmation can be asked. */
  public static final String ENV_STDIN_TTY = "TL_STDIN_TTY";

  /**
   * One transaction to send: what it is for, the call, and the contract it goes to; {@code grant}
   * is set on an approve (what it allows), and null otherwise.
   */
  public record Step(String action, RemoteFunctionCall<TransactionReceipt> call, String to, AllowanceSimulation.Grant grant) {
    public Step(final String action, final RemoteFunctionCall<TransactionReceipt> call, final String to) {
      this(action, call, to, null);
    }
  }

  private final CliContext ctx;
  private final ChainSession session;
  private final ContractSuite suite;
  private final TxOptions options;
  private final PrintWriter out;
  private final PrintWriter err;
  private final Credentials signer;

  /**
   * @param out where the transaction lines go (stderr when stdout carries a --json result)
   * @param err where notes and the confirmation prompt go
   */
  Sender(final CliContext ctx, final ChainSession session, final ContractSuite suite, final Credentials signer, final TxOptions options,
      final PrintWriter out, final PrintWriter err) {
    this.signer = signer;
    this.ctx = ctx;
    this.session = session;
    this.suite = suite;
    this.options = options;
    this.out = out;
    this.err = err;
  }

  public boolean dryRun() {
    return options.dryRun();
  }

  /** The approve step needed for {@code spender} to take {@code amount}, announced; none when the allowance covers it. */
  public List<Step> approvalFor(final String spenderName, final String spender, final BigInteger amount) {
    final BigInteger allowance = Transactions.call("allowance", suite.token().allowance(suite.account(), spender));
    if (allowance.compareTo(amount) >= 0) {
      return List.of();
    }
    out.printf("approve needed: %s may spend %s of your TL (allowance now %s)%n", spenderName, Units.tl(amount), Units.tl(allowance));
    final String token = suite.token().getContractAddress();
    return List.of(new Step("approve", suite.token().approve(spender, amount), token,
        new AllowanceSimulation.Grant(token, suite.account(), spender, amount)));
  }

  /**
   * Sends {@code steps} in order (after asking, for value-moving ones on a terminal); with
   * {@code --dry-run} prints the estimate of each and what would change, and returns no receipts.
   * The step after an approve is simulated with the allowance in place before the approve is sent.
   *
   * @param change what the transactions do, in words ("stake 1,000 TL from 0x…")
   * @param movesValue whether to ask for confirmation on a terminal
   */
  public List<TransactionReceipt> send(final List<Step> steps, final String change, final boolean movesValue) {
    if (options.dryRun()) {
      preview(steps, change);
      return List.of();
    }
    final List<TransactionReceipt> receipts = new ArrayList<>();
    for (int i = 0; i < steps.size(); i++) {
      final Step step = steps.get(i);
      if (step.grant() != null && i + 1 < steps.size()) {
        requireSucceedsOnceApproved(step.grant(), steps.get(i + 1), receipts.isEmpty());
      }
      if (i == 0 && movesValue) {
        confirm(change);
      }
      receipts.add(Transactions.send(out, step.action(), step.call()));
    }
    return receipts;
  }

  /** Refuses (before the approve is sent) when {@code next} would revert even with the allowance; notes when it cannot tell. */
  private void requireSucceedsOnceApproved(final AllowanceSimulation.Grant grant, final Step next, final boolean nothingSentYet) {
    switch (simulate(grant, next)) {
      case AllowanceSimulation.Outcome.Passes p -> LOG.info("simulated {} with the allowance in place: passes, gas ~{}", next.action(), p.gas());
      case AllowanceSimulation.Outcome.Reverts r -> {
        final String message = next.action() + " would revert even once approved: " + RevertText.human(r.revert())
            + (nothingSentYet ? "; nothing was sent (no approve mined)" : "; the approve and what follows were not sent");
        LOG.info("{}", message);
        throw new CliException(message);
      }
      case AllowanceSimulation.Outcome.Unsupported u -> note("could not simulate " + next.action() + " with the allowance in place ("
          + u.why() + "); relying on the local checks");
    }
  }

  private AllowanceSimulation.Outcome simulate(final AllowanceSimulation.Grant grant, final Step next) {
    try {
      return new AllowanceSimulation(session.rpc(), RevertDecoder.forSuite()).simulate(grant, next.to(), next.call().encodeFunctionCall());
    } catch (IOException e) {
      throw new CliException("simulating " + next.action() + " failed: " + e.getMessage(), ExitCodes.NOT_RUNNING, e);
    }
  }

  private void note(final String message) {
    LOG.info("note: {}", message);
    err.println("note: " + message);
    err.flush();
  }

  /** Sends {@code wei} of ETH to {@code to} (or, with {@code --dry-run}, estimates it); returns the receipt when sent. */
  public Optional<TransactionReceipt> sendEther(final String to, final BigInteger wei, final String change) {
    final BigInteger gasPrice = gasPrice();
    final BigInteger gas = BigInteger.valueOf(21_000);
    final BigInteger balance = Transactions.call("eth_getBalance", new RemoteCall<>(
        () -> session.web3j().ethGetBalance(signer.getAddress(), org.web3j.protocol.core.DefaultBlockParameterName.LATEST).send().getBalance()));
    if (balance.compareTo(wei.add(gas.multiply(gasPrice))) < 0) {
      throw Preflight.refuse(Units.address(signer.getAddress()) + " holds " + Units.eth(balance) + ", less than "
          + Units.eth(wei) + " plus the fee");
    }
    if (options.dryRun()) {
      out.printf("dry run: %s%n  transfer: to %s, gas ~21,000, fee ~%s%ndry run: nothing was sent%n", change, Units.address(to),
          Units.eth(gas.multiply(gasPrice)));
      return Optional.empty();
    }
    confirm(change);
    final TransactionReceipt r = Transactions.send(out, "transfer", new RemoteCall<>(() -> new org.web3j.tx.Transfer(session.sending(),
        new org.web3j.tx.RawTransactionManager(session.sending(), signer, session.chainId()))
        .sendFunds(to, new java.math.BigDecimal(wei), org.web3j.utils.Convert.Unit.WEI, gasPrice, gas).send()));
    return Optional.of(r);
  }

  private BigInteger gasPrice() {
    return Transactions.call("eth_gasPrice", new RemoteCall<>(() -> session.sending().ethGasPrice().send().getGasPrice()));
  }

  /**
   * Asks on the terminal before value moves; without a terminal to ask on, only {@code --yes} lets
   * it go (a script must say so, rather than move value unasked).
   */
  private void confirm(final String change) {
    if (options.yes()) {
      return;
    }
    if (!stdinIsTerminal()) {
      throw new CliException("not sending without a confirmation: stdin is not a terminal to ask on; add --yes to "
          + change + " (or --dry-run to preview); nothing was sent", ExitCodes.USAGE);
    }
    err.printf("%s? [y/N] ", change);
    err.flush();
    final String answer;
    try {
      // Not closed: it is the process's stdin. A terminal hands over one line per read.
      answer = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
    } catch (IOException e) {
      throw new CliException("cannot read the answer: " + e.getMessage() + "; nothing was sent");
    }
    final String a = answer == null ? "" : answer.strip().toLowerCase(Locale.ROOT);
    if (!a.equals("y") && !a.equals("yes")) {
      throw new CliException("cancelled: nothing was sent", ExitCodes.FAILURE);
    }
  }

  /** bin/tl-cli says whether stdin is a terminal; run directly, the JVM's console tells (none when stdin or stdout is not one). */
  private boolean stdinIsTerminal() {
    final String launcher = ctx.env().get(ENV_STDIN_TTY);
    return launcher != null ? launcher.equals("1") : System.console() != null;
  }

  private void preview(final List<Step> steps, final String change) {
    final BigInteger gasPrice = gasPrice();
    out.printf("dry run: %s%n", change);
    BigInteger total = BigInteger.ZERO;
    boolean complete = true;
    for (int i = 0; i < steps.size(); i++) {
      final Step step = steps.get(i);
      // Only an approve that comes first can be simulated away: other unmined steps before it change state too.
      final Optional<BigInteger> gas = i == 1 && steps.get(0).grant() != null
          ? estimateOnceApproved(steps.get(0).grant(), step) : estimate(step, i);
      if (gas.isEmpty()) {
        complete = false;
        continue;
      }
      final BigInteger fee = gas.get().multiply(gasPrice);
      total = total.add(fee);
      out.printf("  %s: to %s, gas ~%s, fee ~%s%n", step.action(), Units.address(step.to()), Units.count(gas.get().longValueExact()),
          Units.eth(fee));
    }
    out.printf("fee: ~%s%s at %s gwei%n", Units.eth(total), complete ? "" : " (+ the steps not estimable)",
        new java.math.BigDecimal(gasPrice).movePointLeft(9).stripTrailingZeros().toPlainString());
    out.println("dry run: nothing was sent");
  }

  /** The gas of a step after an approve, simulated with the allowance in place; a revert stops the dry run. */
  private Optional<BigInteger> estimateOnceApproved(final AllowanceSimulation.Grant grant, final Step step) {
    return switch (simulate(grant, step)) {
      case AllowanceSimulation.Outcome.Passes p -> Optional.of(p.gas());
      case AllowanceSimulation.Outcome.Reverts r -> throw new CliException(
          "dry run: " + step.action() + " would revert even once approved: " + RevertText.human(r.revert()) + "; nothing was sent");
      case AllowanceSimulation.Outcome.Unsupported u -> {
        out.printf("  %s: to %s, gas not estimable before the approve is mined (%s)%n", step.action(), Units.address(step.to()), u.why());
        yield Optional.empty();
      }
    };
  }

  private Optional<BigInteger> estimate(final Step step, final int index) {
    final Transaction tx = Transaction.createEthCallTransaction(suite.account(), step.to(), step.call().encodeFunctionCall());
    final EthEstimateGas estimate;
    try {
      estimate = session.sending().ethEstimateGas(tx).send();
    } catch (IOException e) {
      throw new CliException("eth_estimateGas failed: " + e.getMessage(), ExitCodes.NOT_RUNNING);
    }
    if (!estimate.hasError()) {
      return Optional.of(estimate.getAmountUsed());
    }
    // A later step may depend on an earlier one being mined (a reveal after its commit).
    out.printf("  %s: to %s, gas not estimable%s (%s)%n", step.action(), Units.address(step.to()),
        index > 0 ? " before the steps above are mined" : "", estimate.getError().getMessage());
    return Optional.empty();
  }
}
