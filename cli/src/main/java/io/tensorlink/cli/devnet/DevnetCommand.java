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
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tl-cli devnet up|down|status}: a local anvil chain configured from the devnet genesis. */
@Command(name = "devnet", mixinStandardHelpOptions = true, footerHeading = Examples.HEADING, footer = {"  tl-cli devnet up", "  tl-cli devnet status --json"}, description = "Start, stop and inspect the local development chain (anvil).")
public final class DevnetCommand {
  @Spec CommandSpec spec;

  @Command(name = "up", mixinStandardHelpOptions = true, footerHeading = Examples.HEADING, footer = {"  tl-cli devnet up", "  tl-cli devnet up --port 8546 --data-dir /tmp/tl2"}, description = "Start anvil with the genesis chain id, accounts and balances (no-op if running).")
  int up(
      @Option(names = "--port", paramLabel = "<port>", description = "RPC port (config key devnet.port; default: genesis rpcPort).")
          final Integer port,
      @Option(names = "--genesis", paramLabel = "<file>", description = "Genesis file (default: genesis/devnet.json).")
          final Path genesisFile) {
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
    return ExitCodes.OK;
  }

  @Command(name = "down", mixinStandardHelpOptions = true, footerHeading = Examples.HEADING, footer = {"  tl-cli devnet down"}, description = "Stop the devnet started from this data dir (only that process).")
  int down() {
    final CliContext ctx = TlCli.context(spec);
    final Optional<DevnetState> stopped = run(() -> new Devnet(ctx.dataDir()).down());
    ctx.out().println(stopped.map(s -> "devnet stopped: pid " + s.pid() + " on " + s.rpcUrl()).orElse("devnet not running"));
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
