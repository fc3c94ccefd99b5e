package io.tensorlink.cli.account;

import io.tensorlink.cli.CliContext;
import io.tensorlink.cli.ExitCodes;
import io.tensorlink.cli.TlCli;
import io.tensorlink.cli.contracts.AccountOptions;
import io.tensorlink.cli.contracts.ChainOptions;
import io.tensorlink.cli.contracts.ChainSession;
import io.tensorlink.cli.contracts.Transactions;
import io.tensorlink.cli.support.Examples;
import io.tensorlink.cli.support.Facts;
import io.tensorlink.cli.support.JsonOption;
import io.tensorlink.cli.support.Units;
import io.tensorlink.contracts.ContractSuite;
import java.math.BigInteger;
import java.util.Optional;
import java.util.concurrent.Callable;
import io.tensorlink.cli.support.AddressConverter;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.RemoteCall;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tl-cli balance [address]}: ETH and, where the suite is deployed, TL and stake. */
@Command(name = "balance", mixinStandardHelpOptions = true, footerHeading = Examples.HEADING,
    footer = {"  tl-cli balance", "  tl-cli balance 0x70997970C51812dc3A010C7d01b50e0d17dc79C8 --json"},
    description = "Show an account's ETH and TL balance and its stake (default: the wallet's account).")
public final class BalanceCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ChainOptions chain;
  @Mixin AccountOptions account;
  @Mixin JsonOption json;

  @Parameters(paramLabel = "<address>", arity = "0..1", converter = AddressConverter.class, description = "The account (default: --from/--keystore/--genesis-account, else the only keystore).")
  String address;

  @Override
  public Integer call() {
    final CliContext ctx = TlCli.context(spec);
    try (ChainSession session = ChainSession.open(ctx, chain)) {
      final String who = address != null ? address : account.address(ctx, session.chainId());
      final BigInteger eth = Transactions.call("eth_getBalance", new RemoteCall<>(
          () -> session.web3j().ethGetBalance(who, DefaultBlockParameterName.LATEST).send().getBalance()));
      final Optional<ContractSuite> suite = session.viewSuiteIfRecorded();
      final Optional<BigInteger> tl = suite.map(s -> Transactions.call("balanceOf", s.token().balanceOf(who)));
      final Optional<BigInteger> staked = suite.map(s -> Transactions.call("stakeOf", s.stakeManager().stakeOf(who)));
      Facts.print(ctx.out(), json, f -> f
          .fact("account", Units.address(who), "account", Units.address(who))
          .put("chainId", session.chainId())
          .fact("eth", Units.plain(eth), "ETH", Units.eth(eth)).put("ethWei", eth.toString())
          .fact("tl", tl.map(Units::plain).orElse(null), "TL", tl.map(Units::tl).orElse("(no suite deployed on this chain)"))
          .put("tlWei", tl.map(BigInteger::toString).orElse(null))
          .put("staked", staked.map(Units::plain).orElse(null))
          .line(staked.map(v -> "staked: " + Units.tl(v)).orElse("")));
      return ExitCodes.OK;
    }
  }
}
