package io.tensorlink.cli.contracts;

import io.tensorlink.cli.CliContext;
import io.tensorlink.cli.TlCli;
import io.tensorlink.contracts.ContractSuite;
import java.util.concurrent.Callable;
import org.web3j.crypto.Credentials;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * Base of the commands that use the deployed suite: opens the chain, picks the account, binds the
 * suite, and leaves the command one hook. Signing commands unlock the account; read-only ones only
 * need its address.
 */
public abstract class SuiteCommand implements Callable<Integer> {
  @Spec protected CommandSpec spec;
  @Mixin protected ChainOptions chain;
  @Mixin protected AccountOptions account;
  /** The unlocked account of a signing command, once {@link #call} has unlocked it. */
  protected Credentials signer;

  @Override
  public final Integer call() {
    final CliContext ctx = TlCli.context(spec);
    try (ChainSession session = ChainSession.open(ctx, chain)) {
      signer = signs() ? account.unlock(ctx, session.chainId()) : null;
      final ContractSuite suite = signs() ? session.suite(signer, tx()) : session.viewSuite();
      return run(ctx, session, suite);
    }
  }

  /** How transactions are sent; commands that send take {@link TxOptions} through {@link TransactionCommand}. */
  protected TxOptions tx() {
    return new TxOptions();
  }

  /** A warning for the user on stderr ({@code warning: …}); the command goes on. */
  protected void warn(final String message) {
    spec.commandLine().getErr().println("warning: " + message);
    spec.commandLine().getErr().flush();
  }

  /** Whether the command sends transactions (and so unlocks the account). */
  protected boolean signs() {
    return true;
  }

  protected abstract int run(CliContext ctx, ChainSession session, ContractSuite suite);

  /** The address a read-only command reports on: {@code explicit} (checked by {@code AddressConverter}), else the chosen account's. */
  protected String subject(final CliContext ctx, final ChainSession session, final String explicit) {
    return explicit != null ? explicit : account.address(ctx, session.chainId());
  }
}
