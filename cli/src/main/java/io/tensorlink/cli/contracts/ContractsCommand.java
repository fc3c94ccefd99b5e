package io.tensorlink.cli.contracts;

import io.tensorlink.cli.support.Examples;
import io.tensorlink.cli.CliContext;
import io.tensorlink.cli.CliException;
import io.tensorlink.cli.ExitCodes;
import io.tensorlink.cli.TlCli;
import io.tensorlink.contracts.deploy.ContractsDeployer;
import io.tensorlink.contracts.deploy.DeployedContract;
import io.tensorlink.contracts.deploy.Deployment;
import io.tensorlink.contracts.deploy.DeploymentException;
import io.tensorlink.contracts.deploy.DeploymentStore;
import io.tensorlink.contracts.deploy.SuiteParameters;
import io.tensorlink.contracts.devnet.DevnetGenesis;
import io.tensorlink.contracts.devnet.GenesisException;
import io.tensorlink.contracts.revert.ContractRevertException;
import io.tensorlink.cli.support.Facts;
import io.tensorlink.cli.support.JsonOption;
import io.tensorlink.cli.support.Units;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.web3j.crypto.Credentials;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tl-cli contracts deploy}: the contract suite on a chain. */
@Command(name = "contracts", mixinStandardHelpOptions = true, footerHeading = Examples.HEADING, footer = {"  tl-cli contracts deploy"}, description = "Deploy the TensorLink contract suite.")
public final class ContractsCommand {
  /** The commands of this group, built only when a command line names the group (see CommandTree). */
  public static List<Class<?>> commands() {
    return List.of(ContractsCommand.Deploy.class);
  }


  /** Deploys and wires the suite with the genesis parameters, then records deployments/<chainId>.json. */
  @Command(name = "deploy", mixinStandardHelpOptions = true, footerHeading = Examples.HEADING, footer = {"  tl-cli contracts deploy", "  tl-cli contracts deploy --rpc-url http://127.0.0.1:8545 --keystore key.json --force"}, description = {
      "Deploy and wire the contract suite, and record its addresses for this chain.",
      "Deploys TensorLinkToken, StakeManager, JobEscrow, PoLAnchor and DisputeCourt, connects them, and",
      "records the addresses in the deployment record of this chain. Refuses when that record points at a",
      "live suite unless --force; a stale record (e.g. a restarted devnet) is replaced.",
      "On the devnet the deployer defaults to genesis account 0."})
  static final class Deploy implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ChainOptions chain;
    @Mixin AccountOptions account;

    @Option(names = "--genesis", paramLabel = "<file>", description = "Genesis file with the parameters (default: genesis/devnet.json).")
    Path genesisFile;

    @Option(names = "--force", description = "Deploy a new suite even if the recorded one is live.")
    boolean force;

    @Mixin JsonOption json;

    @Override
    public Integer call() {
      final CliContext ctx = TlCli.context(spec);
      final PrintWriter out = ctx.out();
      final DevnetGenesis genesis = ChainOptions.genesis(ctx, genesisFile);
      try (ChainSession session = ChainSession.open(ctx, chain)) {
        final SuiteParameters params;
        try {
          // The target chain decides whether the public devnet mnemonic may hold allocations.
          params = SuiteParameters.fromGenesis(genesis, session.chainId());
        } catch (GenesisException | IllegalArgumentException e) {
          throw new CliException((genesisFile != null ? genesisFile : "genesis/devnet.json") + ": " + e.getMessage(), ExitCodes.CONFIG);
        }
        final Credentials deployer = !account.explicit() && session.chainId() == genesis.chainId()
            ? AccountOptions.genesisAccount(ctx, 0, session.chainId())
            : account.unlock(ctx, session.chainId());
        final DeploymentStore store = chain.store(ctx);
        if (!json.enabled()) {
          out.printf("deploying to chain %d as %s%n", session.chainId(), Units.address(deployer.getAddress()));
        }
        final Deployment d = deploy(new ContractsDeployer(session.web3j(), deployer), store, params, out);
        final Path record = store.file(d.chainId());
        Facts.print(out, json, f -> f.put("chainId", d.chainId()).put("deployer", Units.address(d.deployer()))
            .put("genesisBlockHash", d.genesisBlockHash()).put("record", record.toString()).put("startBlock", d.startBlock())
            .put("contracts", checksummed(d.contracts())).put("wiring", checksummed(d.wiring()))
            .line("recorded " + record + " (start block " + d.startBlock() + ")"));
        return ExitCodes.OK;
      }
    }

    private Deployment deploy(
        final ContractsDeployer deployer, final DeploymentStore store, final SuiteParameters params, final PrintWriter out) {
      try {
        return deployer.deployAndRecord(store, params, force, step -> {
          if (!json.enabled()) {
            print(out, step);
          }
        });
      } catch (ContractRevertException e) {
        throw new CliException("deployment reverted: " + RevertText.human(e.revert()));
      } catch (DeploymentException e) {
        // An unreadable record is a configuration problem, as it is for every other command.
        throw new CliException(e.getMessage(), e.getCause() instanceof java.io.IOException ? ExitCodes.CONFIG : ExitCodes.FAILURE);
      }
    }

    private static void print(final PrintWriter out, final DeployedContract step) {
      out.printf(Locale.ROOT, "%-22s %s  tx %s, gas used %s, block %d%n",
          step.name(), address(step), step.transactionHash(), Units.count(step.gasUsed()), step.blockNumber());
      out.flush();
    }

    /** The record's steps for --json, addresses EIP-55 like everywhere else in the output. */
    private static List<Map<String, Object>> checksummed(final List<DeployedContract> steps) {
      return steps.stream().map(c -> {
        final Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", c.name());
        m.put("address", address(c));
        m.put("transactionHash", c.transactionHash());
        m.put("blockNumber", c.blockNumber());
        m.put("gasUsed", c.gasUsed());
        return m;
      }).toList();
    }

    private static String address(final DeployedContract c) {
      return c.address() == null ? null : Units.address(c.address());
    }
  }
}
