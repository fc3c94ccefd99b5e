package io.tensorlink.cli.devnet;

import io.tensorlink.cli.support.Examples;
import io.tensorlink.chain.devnet.Devnet;
import io.tensorlink.chain.devnet.DevnetException;
import io.tensorlink.chain.devnet.DevnetState;
import io.tensorlink.chain.devnet.DevnetStatus;
import io.tensorlink.cli.CliContext;
import io.tensorlink.cli.CliException;
import io.tensorlink.cli.ExitCodes;
import io.tensorlink.cli.TlCli;
import io.tensorlink.cli.config.ConfigKeys;
import io.tensorlink.contracts.devnet.AnvilBinary;
import io.tensorlink.contracts.devnet.AnvilException;
import io.tensorlink.contracts.devnet.DevnetGenesis;
import io.tensorlink.contracts.devnet.GenesisException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import io.tensorlink.cli.support.Facts;
import io.tensorlink.cli.support.JsonOption;
import io.tensorlink.cli.contracts.ChainOptions;
import io.tensorlink.cli.contracts.ChainSession;
import io.tensorlink.cli.contracts.TlAmount;
import io.tensorlink.cli.contracts.Transactions;
import io.tensorlink.cli.support.Durations;
import io.tensorlink.cli.support.Units;
import io.tensorlink.contracts.ContractSuite;
import io.tensorlink.contracts.deploy.MnemonicAccounts;
import java.math.BigDecimal;
import java.math.BigInteger;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.core.RemoteCall;
import org.web3j.tx.RawTransactionManager;
import org.web3j.tx.Transfer;
import org.web3j.utils.Convert;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import io.tensorlink.cli.support.AddressConverter;
import io.tensorlink.cli.support.PortConverter;
import picocli.CommandLine.Spec;

/** {@code tl-cli devnet up|down|status}: a local anvil chain configured from the devnet genesis. */
@Command(name = "devnet", mixinStandardHelpOptions = true, footerHeading = Examples.HEADING, footer = {"  tl-cli devnet up", "  tl-cli devnet status --json"}, description = "Start, stop and inspect the local development chain (anvil).")
public final class DevnetCommand {
  @Spec CommandSpec spec;

  @Command(name = "up", mixinStandardHelpOptions = true, footerHeading = Examples.HEADING, footer = {"  tl-cli devnet up", "  tl-cli devnet up --port 8546 --data-dir /tmp/tl2", "  tl-cli devnet up --with-monero"}, description = "Start anvil with the genesis chain id, accounts and balances (no-op if running).")
  int up(
      @Option(names = "--port", paramLabel = "<port>", converter = PortConverter.class, description = "RPC port (config key devnet.port; default: genesis rpcPort).")
          final Integer port,
      @Option(names = "--genesis", paramLabel = "<file>", description = "Genesis file (default: genesis/devnet.json).")
          final Path genesisFile,
      @Option(names = "--with-monero", description = "Also start a regtest monerod and a wallet-rpc (in <data-dir>/monero; docs/monero.md).")
          final boolean withMonero) {
    final CliContext ctx = TlCli.context(spec);
    final DevnetGenesis genesis = loadGenesis(ctx, genesisFile);
    final int chosen = port != null ? port : ctx.config().find(ConfigKeys.DEVNET_PORT).orElse(0);
    final Path anvil;
    try {
      anvil = AnvilBinary.locate(ctx.home(), ctx.env());
    } catch (AnvilException e) {
      throw new CliException(e.getMessage());
    }
    final Devnet.UpResult result = run(() -> new Devnet(ctx.dataDir()).up(anvil, genesis, chosen));
    final DevnetState s = result.state();
    ctx.out().printf("devnet %s: chain id %d, rpc %s, pid %d, log %s%n",
        result.started() ? "started" : "already running", s.chainId(), s.rpcUrl(), s.pid(), s.logFile());
    if (withMonero) {
      DevnetMoneroSide.up(ctx);
    }
    return ExitCodes.OK;
  }

  @Command(name = "down", mixinStandardHelpOptions = true, footerHeading = Examples.HEADING, footer = {"  tl-cli devnet down"}, description = "Stop the devnet started from this data dir (only that process).")
  int down() {
    final CliContext ctx = TlCli.context(spec);
    final Optional<DevnetState> stopped = run(() -> new Devnet(ctx.dataDir()).down());
    ctx.out().println(stopped.map(s -> "devnet stopped: pid " + s.pid() + " on " + s.rpcUrl()).orElse("devnet not running"));
    DevnetMoneroSide.down(ctx);
    return ExitCodes.OK;
  }

  @Command(name = "status", mixinStandardHelpOptions = true, footerHeading = Examples.HEADING, footer = {"  tl-cli devnet status", "  tl-cli devnet status --json | jq .blockNumber"}, description = "Show chain id, block number and RPC URL; exit code 4 when not running.")
  int status(@Mixin final JsonOption json) {
    final CliContext ctx = TlCli.context(spec);
    final DevnetStatus status = run(() -> new Devnet(ctx.dataDir()).status());
    final PrintWriter out = ctx.out();
    if (!status.running()) {
      Facts.print(out, json, f -> f.put("running", false)
          .put("stalePid", status.state().map(DevnetState::pid).orElse(null))
          .line("devnet: not running" + status.state().map(s -> " (stale state for pid " + s.pid() + ")").orElse("")));
      return ExitCodes.NOT_RUNNING;
    }
    final DevnetState s = status.state().orElseThrow();
    Facts.print(out, json, f -> f
        .fact("running", true, "devnet", "running")
        .fact("rpcUrl", s.rpcUrl(), "rpc", s.rpcUrl())
        .fact("chainId", status.chainId().orElseThrow(), "chain id", status.chainId().orElseThrow().toString())
        .fact("blockNumber", status.blockNumber().orElseThrow(), "block", status.blockNumber().orElseThrow().toString())
        .fact("pid", s.pid(), "pid", Long.toString(s.pid()))
        .put("startedAt", s.startedAt()).put("logFile", s.logFile()));
    return ExitCodes.OK;
  }

  @Command(name = "mine", mixinStandardHelpOptions = true, footerHeading = Examples.HEADING,
      footer = {"  tl-cli devnet mine", "  tl-cli devnet mine 100"},
      description = "Mine empty blocks on the devnet (default 1).")
  int mine(@Parameters(paramLabel = "<n>", arity = "0..1", defaultValue = "1", description = "Blocks to mine, 1..100000.") final int blocks) {
    if (blocks < 1 || blocks > 100_000) {
      throw new CliException("<n> must be 1..100000, got " + blocks, ExitCodes.USAGE);
    }
    final CliContext ctx = TlCli.context(spec);
    ctx.out().println("block: " + run(() -> new Devnet(ctx.dataDir()).mine(blocks)));
    return ExitCodes.OK;
  }

  @Command(name = "advance", mixinStandardHelpOptions = true, footerHeading = Examples.HEADING,
      footer = {"  tl-cli devnet advance 7d", "  tl-cli devnet advance 90m"},
      description = "Move the devnet's clock ahead and mine a block, to reach deadlines and unbonding ends.")
  int advance(@Parameters(paramLabel = "<duration>", description = "90m, 24h, 7d or seconds; at most 3650 days.") final String duration) {
    final long seconds = Durations.seconds(duration).orElseThrow(() ->
        new CliException("<duration> '" + duration + "' is not a duration (90m, 24h, 7d, 3600s)", ExitCodes.USAGE));
    if (seconds < 1 || seconds > 3_650L * 86_400) {
      throw new CliException("<duration> '" + duration + "' must be 1 s to 3650 days", ExitCodes.USAGE);
    }
    final CliContext ctx = TlCli.context(spec);
    final long now = run(() -> new Devnet(ctx.dataDir()).advance(seconds));
    ctx.out().println("chain time: " + java.time.Instant.ofEpochSecond(now));
    return ExitCodes.OK;
  }

  @Command(name = "fund", mixinStandardHelpOptions = true, footerHeading = Examples.HEADING,
      footer = {"  tl-cli devnet fund 0x70997970C51812dc3A010C7d01b50e0d17dc79C8", "  tl-cli devnet fund 0x70997970C51812dc3A010C7d01b50e0d17dc79C8 --eth 1 --tl 50000"},
      description = "A faucet: send ETH and TL from genesis account 0 to an address on the devnet.")
  int fund(
      @Parameters(paramLabel = "<address>", converter = AddressConverter.class, description = "The account to fund.") final String address,
      @Option(names = "--eth", paramLabel = "<ETH>", defaultValue = "10", converter = TlAmount.class, description = "ETH to send (default: ${DEFAULT-VALUE}).")
          final BigInteger eth,
      @Option(names = "--tl", paramLabel = "<TL>", defaultValue = "1000", converter = TlAmount.class,
          description = "TL to send when the suite is deployed (default: ${DEFAULT-VALUE}).") final BigInteger tl,
      @Mixin final ChainOptions chain) {
    final CliContext ctx = TlCli.context(spec);
    final DevnetGenesis genesis = loadGenesis(ctx, null);
    try (ChainSession session = ChainSession.open(ctx, chain)) {
      if (session.chainId() != genesis.chainId()) {
        throw new CliException("devnet fund only runs on the devnet (chain " + genesis.chainId() + "), not chain " + session.chainId(),
            ExitCodes.USAGE);
      }
      final Credentials faucet = new MnemonicAccounts(genesis.mnemonic()).account(0);
      final PrintWriter out = ctx.out();
      Transactions.send(out, "send ETH", new RemoteCall<>(() -> new Transfer(session.web3j(),
          new RawTransactionManager(session.web3j(), faucet, session.chainId())).sendFunds(address, new BigDecimal(eth), Convert.Unit.WEI).send()));
      final Optional<ContractSuite> suite = recordedSuite(session, faucet);
      suite.ifPresent(s -> Transactions.send(out, "send TL", s.token().transfer(address, tl)));
      out.printf("funded %s with %s%s%n", Units.address(address), Units.eth(eth),
          suite.map(s -> " and " + Units.tl(tl)).orElse(" (no suite deployed: no TL sent)"));
      return ExitCodes.OK;
    }
  }

  private static Optional<ContractSuite> recordedSuite(final ChainSession session, final Credentials account) {
    try {
      return Optional.of(session.suite(account));
    } catch (CliException e) {
      return Optional.empty();
    }
  }

  private static DevnetGenesis loadGenesis(final CliContext ctx, final Path explicit) {
    try {
      return DevnetGenesis.load(explicit != null ? explicit : DevnetGenesis.locate(ctx.home()));
    } catch (GenesisException e) {
      throw new CliException(e.getMessage(), ExitCodes.CONFIG);
    }
  }

  private static <T> T run(final java.util.function.Supplier<T> action) {
    try {
      return action.get();
    } catch (DevnetException e) {
      throw new CliException(e.getMessage());
    }
  }
}
