package io.tensorlink.cli.contracts;

import io.tensorlink.cli.CliContext;
import io.tensorlink.cli.ExitCodes;
import io.tensorlink.contracts.ContractSuite;
import java.io.PrintWriter;
import io.tensorlink.cli.support.JsonOption;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** A read-only {@code status} command about one account: {@code --address}, else the wallet's. */
public abstract class AccountStatusCommand extends ViewCommand {
  @Option(names = "--address", paramLabel = "<address>", converter = io.tensorlink.cli.support.AddressConverter.class, description = "Account to show (default: the wallet's).")
  String address;

  @Mixin protected JsonOption json;

  @Override
  protected final int run(final CliContext ctx, final ChainSession session, final ContractSuite s) {
    print(ctx.out(), s, subject(ctx, session, address));
    return ExitCodes.OK;
  }

  /** Prints the account's state. */
  protected abstract void print(PrintWriter out, ContractSuite s, String account);
}
