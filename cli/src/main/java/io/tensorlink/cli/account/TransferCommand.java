package io.tensorlink.cli.account;

import io.tensorlink.cli.CliContext;
import io.tensorlink.cli.ExitCodes;
import io.tensorlink.cli.contracts.ChainSession;
import io.tensorlink.cli.contracts.Preflight;
import io.tensorlink.cli.contracts.Sender;
import io.tensorlink.cli.contracts.TlAmount;
import io.tensorlink.cli.contracts.TransactionCommand;
import io.tensorlink.cli.support.Examples;
import io.tensorlink.cli.support.Units;
import io.tensorlink.contracts.ContractSuite;
import java.math.BigInteger;
import java.util.List;
import io.tensorlink.cli.support.AddressConverter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tl-cli transfer <to> <amount> [--token TL|ETH]}. */
@Command(name = "transfer", mixinStandardHelpOptions = true, footerHeading = Examples.HEADING,
    footer = {"  tl-cli transfer 0x70997970C51812dc3A010C7d01b50e0d17dc79C8 250", "  tl-cli transfer 0x70997970C51812dc3A010C7d01b50e0d17dc79C8 0.5 --token ETH --dry-run"},
    description = "Send TL (default) or ETH from the account to another address.")
public final class TransferCommand extends TransactionCommand {
  /** What to send. */
  public enum Token { TL, ETH }

  @Parameters(index = "0", paramLabel = "<to>", converter = AddressConverter.class, description = "The receiving address.")
  String to;

  @Parameters(index = "1", paramLabel = "<amount>", converter = TlAmount.class, description = "How much, in whole units (decimal, up to 18 decimals).")
  BigInteger amount;

  @Option(names = "--token", paramLabel = "<TL|ETH>", defaultValue = "TL", description = "TL or ETH (default: ${DEFAULT-VALUE}).")
  Token token;

  @Override
  protected int run(final CliContext ctx, final ChainSession session, final ContractSuite s) {
    final Sender sender = sender(ctx, session, s);
    if (token == Token.ETH) {
      sender.sendEther(to, amount, "send " + Units.eth(amount) + " to " + Units.address(to));
      return ExitCodes.OK;
    }
    Preflight.requireTl(s, amount, "the transfer");
    Preflight.requireGasMoney(session, s.account());
    sender.send(List.of(new Sender.Step("transfer", s.token().transfer(to, amount), s.token().getContractAddress())),
        "send " + Units.tl(amount) + " to " + Units.address(to), true);
    if (!sender.dryRun()) {
      ctx.out().printf("balance: %s%n", Units.tl(io.tensorlink.cli.contracts.Transactions.call("balanceOf", s.token().balanceOf(s.account()))));
    }
    return ExitCodes.OK;
  }
}
