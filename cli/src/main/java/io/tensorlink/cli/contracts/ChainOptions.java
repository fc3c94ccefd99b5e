package io.tensorlink.cli.contracts;

import io.tensorlink.chain.devnet.DevnetState;
import io.tensorlink.cli.CliContext;
import io.tensorlink.cli.CliException;
import io.tensorlink.cli.ExitCodes;
import io.tensorlink.cli.config.ConfigKeys;
import io.tensorlink.contracts.deploy.DeploymentStore;
import io.tensorlink.contracts.devnet.DevnetGenesis;
import io.tensorlink.contracts.devnet.GenesisException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where the chain is (RPC URL) and where its deployment records live. */
public final class ChainOptions {
  @Option(names = "--deployments", paramLabel = "<dir>",
      description = "Folder of <chainId>.json deployment records (default: <data-dir>/deployments for the data dir's own devnet, else deployments/ of the installation).")
  Path deployments;

  /** The RPC URL: --rpc-url / rpc.url / TL_RPC_URL, else the devnet started from this data dir. */
  public static String rpcUrl(final CliContext ctx) {
    return ctx.config().find(ConfigKeys.RPC_URL).map(Object::toString)
        .or(() -> DevnetState.read(ctx.dataDir()).map(DevnetState::rpcUrl))
        .orElseThrow(() -> new CliException(
            "no chain to talk to: start one with 'tl-cli devnet up', or give --rpc-url (config key rpc.url)",
            ExitCodes.NOT_RUNNING));
  }

  /**
   * Where the chain's deployment record lives. The devnet of a data dir keeps its record in that
   * data dir: two devnets share chain id 7701, and one record for both would be overwritten by the
   * other's deploy. Other chains use the installation's {@code deployments/}.
   */
  public DeploymentStore store(final CliContext ctx) {
    if (deployments != null) {
      return new DeploymentStore(deployments);
    }
    final String url = rpcUrl(ctx);
    final boolean ownDevnet = DevnetState.read(ctx.dataDir()).map(DevnetState::rpcUrl).filter(url::equals).isPresent();
    return new DeploymentStore(ownDevnet ? ctx.dataDir().resolve("deployments") : ctx.home().resolve("deployments"));
  }

  /** The genesis file given, or genesis/devnet.json of the installation. */
  public static DevnetGenesis genesis(final CliContext ctx, final Path explicit) {
    try {
      return DevnetGenesis.load(explicit != null ? explicit : DevnetGenesis.locate(ctx.home()));
    } catch (GenesisException e) {
      throw new CliException(e.getMessage(), ExitCodes.CONFIG);
    }
  }
}
