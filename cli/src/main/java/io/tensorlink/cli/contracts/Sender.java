package io.tensorlink.cli.contracts;

import io.tensorlink.cli.CliContext;
import io.tensorlink.cli.CliException;
import io.tensorlink.cli.ExitCodes;
import io.tensorlink.cli.support.Units;
import io.tensorlink.contracts.ContractSuite;
import java.io.Console;
import java.io.IOException;
import java.io.PrintWriter;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.core.RemoteCall;
import org.web3j.protocol.core.RemoteFunctionCall;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthEstimateGas;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/**
 * Sends the transactions of one command after its pre-flight checks: all of them, or with
 * {@code --dry-run} none (each is estimated and its fee printed instead). Value-moving commands ask
 * for confirmation on a terminal unless {@code --yes}.
 */
public final class Sender {
  /** Set by bin/tl-cli to 1 when stdin is a terminal, so a confirmation can be asked. */
  public static final String ENV_STDIN_TTY = "TL_STDIN_TTY";

  /** One transaction to send: what it is for, the call, and the contract it goes to. */
  public record Step(String action, RemoteFunctionCall<TransactionReceipt> call, String to) {}

  private final CliContext ctx;
  private final ChainSession session;
  private final ContractSuite suite;
  private final TxOptions options;
  private final PrintWriter out;
  private final Credentials signer;

  /** @param out where the transaction lines go (stderr when stdout carries a --json result) */
  Sender(final CliContext ctx, final ChainSession session, final ContractSuite suite, final Credentials signer, final TxOptions options,
      final PrintWriter out) {
    this.signer = signer;
    this.ctx = ctx;
    this.session = session;
    this.suite = suite;
    this.options = options;
    this.out = out;
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
    return List.of(new Step("approve", suite.token().approve(spender, amount), suite.token().getContractAddress()));
  }

  /**
   * Sends {@code steps} in order (after asking, for value-moving ones on a terminal); with
   * {@code --dry-run} prints the estimate of each and what would change, and returns no receipts.
   *
   * @param change what the transactions do, in words ("stake 1,000 TL from 0x…")
   * @param movesValue whether to ask for confirmation on a terminal
   */
  public List<TransactionReceipt> send(final List<Step> steps, final String change, final boolean movesValue) {
    if (options.dryRun()) {
      preview(steps, change);
      return List.of();
    }
    if (movesValue) {
      confirm(change);
    }
    final List<TransactionReceipt> receipts = new ArrayList<>();
    for (final Step step : steps) {
      receipts.add(Transactions.send(out, step.action(), step.call()));
    }
    return receipts;
  }

  /** Sends {@code wei} of ETH to {@code to} (or, with {@code --dry-run}, estimates it); returns the receipt when sent. */
  public java.util.Optional<TransactionReceipt> sendEther(final String to, final BigInteger wei, final String change) {
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
      return java.util.Optional.empty();
    }
    confirm(change);
    final TransactionReceipt r = Transactions.send(out, "transfer", new RemoteCall<>(() -> new org.web3j.tx.Transfer(session.sending(),
        new org.web3j.tx.RawTransactionManager(session.sending(), signer, session.chainId()))
        .sendFunds(to, new java.math.BigDecimal(wei), org.web3j.utils.Convert.Unit.WEI, gasPrice, gas).send()));
    return java.util.Optional.of(r);
  }

  private BigInteger gasPrice() {
    return Transactions.call("eth_gasPrice", new RemoteCall<>(() -> session.sending().ethGasPrice().send().getGasPrice()));
  }

  private void confirm(final String change) {
    final Console console = System.console();
    if (options.yes() || !"1".equals(ctx.env().get(ENV_STDIN_TTY)) || console == null) {
      return;
    }
    final String answer = console.readLine("%s? [y/N] ", change);
    if (answer == null || !answer.trim().toLowerCase(Locale.ROOT).startsWith("y")) {
      throw new CliException("cancelled: nothing was sent", ExitCodes.FAILURE);
    }
  }

  private void preview(final List<Step> steps, final String change) {
    final BigInteger gasPrice = gasPrice();
    out.printf("dry run: %s%n", change);
    BigInteger total = BigInteger.ZERO;
    boolean complete = true;
    for (final Step step : steps) {
      final Transaction tx = Transaction.createEthCallTransaction(suite.account(), step.to(), step.call().encodeFunctionCall());
      final EthEstimateGas estimate;
      try {
        estimate = session.sending().ethEstimateGas(tx).send();
      } catch (IOException e) {
        throw new CliException("eth_estimateGas failed: " + e.getMessage(), ExitCodes.NOT_RUNNING);
      }
      if (estimate.hasError()) {
        // Typically the call after an approve: it can only be estimated once the approve is mined.
        out.printf("  %s: to %s, gas not estimable before the steps above are mined (%s)%n", step.action(),
            Units.address(step.to()), estimate.getError().getMessage());
        complete = false;
        continue;
      }
      final BigInteger fee = estimate.getAmountUsed().multiply(gasPrice);
      total = total.add(fee);
      out.printf("  %s: to %s, gas ~%s, fee ~%s%n", step.action(), Units.address(step.to()),
          Units.count(estimate.getAmountUsed().longValueExact()), Units.eth(fee));
    }
    out.printf("fee: ~%s%s at %s gwei%n", Units.eth(total), complete ? "" : " (+ the steps not estimable)",
        new java.math.BigDecimal(gasPrice).movePointLeft(9).stripTrailingZeros().toPlainString());
    out.println("dry run: nothing was sent");
  }
}
