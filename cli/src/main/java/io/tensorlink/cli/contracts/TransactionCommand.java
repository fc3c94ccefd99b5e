package io.tensorlink.cli.contracts;

import io.tensorlink.cli.CliContext;
import io.tensorlink.contracts.ContractSuite;
import picocli.CommandLine.Mixin;

/**
 * Base of the commands that send transactions: {@code --dry-run}, {@code --yes}, {@code --nonce}
 * and {@code --gas-price}, and a {@link Sender} that applies them. Subclasses run their pre-flight
 * checks (local, free) before handing the steps to the sender.
 */
public abstract class TransactionCommand extends SuiteCommand {
  @Mixin protected TxOptions tx;

  @Override
  protected final TxOptions tx() {
    return tx;
  }

  protected final Sender sender(final CliContext ctx, final ChainSession session, final ContractSuite suite) {
    return new Sender(ctx, session, suite, signer, tx, ctx.out(), spec.commandLine().getErr());
  }

  /** A sender whose transaction lines go to stderr, for a command printing its result as --json. */
  protected final Sender quietSender(final CliContext ctx, final ChainSession session, final ContractSuite suite) {
    return new Sender(ctx, session, suite, signer, tx, spec.commandLine().getErr(), spec.commandLine().getErr());
  }
}
