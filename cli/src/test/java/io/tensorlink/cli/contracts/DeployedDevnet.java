package io.tensorlink.cli.contracts;

import io.tensorlink.cli.CliRun;
import io.tensorlink.contracts.deploy.Deployment;
import io.tensorlink.contracts.deploy.DeploymentStore;
import io.tensorlink.contracts.deploy.MnemonicAccounts;
import io.tensorlink.contracts.devnet.DevnetGenesis;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.http.HttpService;

/**
 * The shared fixture of the CLI chain tests: a real anvil on the devnet genesis, a web3j client to
 * it, the genesis accounts, and the suite as {@code tl-cli contracts deploy} deployed it (its
 * outcome is {@link #deployed()}; the caller asserts on it). Skips (via {@link AnvilChain#start})
 * when anvil is not installed.
 */
record DeployedDevnet(AnvilChain chain, Web3j web3j, Path deployments, MnemonicAccounts accounts, CliRun deployed)
    implements AutoCloseable {
  static final long CHAIN_ID = 7701;

  static DeployedDevnet start() throws IOException {
    final AnvilChain chain = AnvilChain.start();
    final Web3j web3j = Web3j.build(new HttpService(chain.rpcUrl()));
    try {
      final Path deployments = Files.createTempDirectory("deployments");
      final MnemonicAccounts accounts = new MnemonicAccounts(DevnetGenesis.load(DevnetGenesis.locate(Path.of(""))).mnemonic());
      final CliRun deployed = CliRun.run(Files.createTempDirectory("tl-data"), "contracts", "deploy",
          "--rpc-url", chain.rpcUrl(), "--deployments", deployments.toString());
      return new DeployedDevnet(chain, web3j, deployments, accounts, deployed);
    } catch (IOException | RuntimeException e) {
      // no test class holds the anvil yet: stop it here rather than leak the process
      web3j.shutdown();
      chain.close();
      throw e;
    }
  }

  /** The recorded deployment (fails when the deploy did not record one). */
  Deployment deployment() {
    return new DeploymentStore(deployments).require(CHAIN_ID);
  }

  @Override
  public void close() {
    web3j.shutdown();
    chain.close();
  }
}
