package io.tensorlink.cli.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import io.tensorlink.cli.CliRun;
import io.tensorlink.cli.ExitCodes;
import io.tensorlink.contracts.deploy.MnemonicAccounts;
import io.tensorlink.contracts.devnet.AnvilBinary;
import io.tensorlink.contracts.devnet.AnvilProcess;
import io.tensorlink.contracts.devnet.DevnetGenesis;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.http.HttpService;

/**
 * The deploy that used to hand the whole TL supply to the public devnet mnemonic on another chain
 * (issue 10): against a real anvil running chain id 11155111, `contracts deploy` with the default
 * genesis refuses before sending anything, naming the file and the key.
 */
class DeployRefusalTest {
  @TempDir Path tmp;

  @Test
  void theDevnetGenesisIsRefusedOnAnotherChainBeforeAnyTransaction() throws Exception {
    final Optional<Path> binary = AnvilBinary.find(Path.of(""));
    Assumptions.assumeTrue(binary.isPresent(), "anvil is not installed (run ./tl setup): skipping");
    final DevnetGenesis devnet = DevnetGenesis.load(DevnetGenesis.locate(Path.of("")));
    final DevnetGenesis sepoliaLike = new DevnetGenesis(devnet.name(), 11155111, devnet.rpcHost(), 0, 0,
        devnet.mnemonic(), devnet.accounts(), devnet.etherBalance(), devnet.document());
    try (AnvilProcess anvil = AnvilProcess.start(binary.get(), sepoliaLike, 0, Files.createTempFile(tmp, "anvil", ".log"))) {
      final CliRun run = CliRun.run(tmp.resolve("data"), "contracts", "deploy", "--rpc-url", anvil.rpcUrl(),
          "--deployments", tmp.resolve("deployments").toString(), "--genesis-account", "0");
      final String account0 = new MnemonicAccounts(devnet.mnemonic()).address(0);
      final Web3j web3j = Web3j.build(new HttpService(anvil.rpcUrl()));
      try {
        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(ExitCodes.CONFIG);
        assertThat(run.err()).contains("genesis/devnet.json: token.allocations[0].account allocates to mnemonic account index, "
            + "refused on chain 11155111");
        assertThat(tmp.resolve("deployments/11155111.json")).doesNotExist();
        assertThat(web3j.ethGetTransactionCount(account0, DefaultBlockParameterName.LATEST).send().getTransactionCount())
            .isEqualTo(BigInteger.ZERO);
      } finally {
        web3j.shutdown();
      }
    }
  }
}
