package io.tensorlink.besu;

import static io.tensorlink.contracts.testing.SuiteActions.bytes32;
import static io.tensorlink.contracts.testing.SuiteActions.tl;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tensorlink.chain.pol.EthAddress;
import io.tensorlink.chain.pol.PoLHeader;
import io.tensorlink.chain.pol.PolDomain;
import io.tensorlink.contracts.ContractSuite;
import io.tensorlink.contracts.SuiteContract;
import io.tensorlink.contracts.deploy.DeploymentStore;
import io.tensorlink.contracts.generated.PoLAnchor.PoLBlock;
import io.tensorlink.contracts.pol.PoLBlocks;
import io.tensorlink.contracts.testing.DeployedDevnet;
import io.tensorlink.contracts.testing.SuiteActions;
import java.math.BigInteger;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.tuweni.bytes.Bytes32;
import org.hyperledger.besu.plugin.BesuPlugin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Credentials;
import org.web3j.utils.Numeric;

/**
 * Suite logs of a REAL anvil run (validators stake and register, a job is created and assigned,
 * PoL block 0 is anchored through today's PoLAnchor) are replayed block by block into the built
 * plugin jar through the stand-in chain; the plugin's tl_* answers and rule verdicts must match
 * what the contracts say. The replay is the stand-in's part: no Besu runs here.
 */
class AnvilReplayIT {
  @TempDir Path tmp;

  @Test
  void theJarFollowsARealSuiteRun() throws Exception {
    final Path jar = ApiOnlyClassLoader.builtJar();
    assumeTrue(jar != null, "SKIPPED: the plugin jar is not built (run through `./mvnw -pl besu-plugin -am verify`)");
    try (DeployedDevnet devnet = DeployedDevnet.start(); URLClassLoader loader = ApiOnlyClassLoader.forPlugin(jar)) {
      final SuiteActions act = new SuiteActions(devnet);
      final List<Credentials> validators = List.of(devnet.account(1), devnet.account(2), devnet.account(3));
      for (Credentials v : validators) {
        act.stakeAndRegister(v, tl(40_000));
      }
      act.stake(devnet.account(4), tl(1_000));
      devnet.advanceTime(3_600);
      final Credentials client = devnet.account(0);
      act.createJob(client, tl(1_000), tl(10), devnet.latestTimestamp() + 86_400);
      final ContractSuite c = devnet.suite(client);
      final BigInteger jobId = c.escrow().jobCount().send();
      c.escrow().assign(jobId, List.of(devnet.account(4).getAddress()), bytes32(3)).send();
      final PoLBlock first = act.header(jobId, 0, new byte[32], 0, 10, bytes32(1), bytes32(2));
      assertThat(act.submit(client, first, validators).isStatusOK()).isTrue();
      final String firstHash = Numeric.toHexString(PoLBlocks.hash(first));

      final String anchor = devnet.deployment().address(SuiteContract.POL_ANCHOR);
      final String stakeManager = devnet.deployment().address(SuiteContract.STAKE_MANAGER);
      final StandInBesu besu = new StandInBesu();
      replay(devnet, besu, List.of(anchor, stakeManager));
      final BesuPlugin plugin = ApiOnlyClassLoader.loadPlugin(loader);
      plugin.register(besu);
      besu.cli.parse("--plugin-tensorlink-data-dir=" + tmp, "--plugin-tensorlink-pol-anchor=" + anchor,
          "--plugin-tensorlink-stake-manager=" + stakeManager, "--plugin-tensorlink-chain-id=" + devnet.genesis().chainId(),
          "--plugin-tensorlink-p2p-host=127.0.0.1", "--plugin-tensorlink-p2p-port=0");
      plugin.beforeExternalServices();
      plugin.start();
      try {
        final Map<?, ?> block = (Map<?, ?>) besu.rpc.call("tl_polBlock", jobId.toString(), "0x0");
        assertThat(block.get("blockHash")).isEqualTo(firstHash);
        assertThat(block.get("stepTo")).isEqualTo("0xa");
        assertThat(block.get("randomness")).isEqualTo(Numeric.toHexString(first.randomness));
        assertThat(block.get("randomnessBlock")).isEqualTo("0x" + first.randomnessBlock.toString(16));
        assertThat(block.get("signers")).isEqualTo(validators.stream().map(v -> v.getAddress().toLowerCase()).sorted().toList());
        assertThat(block.get("anchoredIn")).isEqualTo("0x" + devnet.web3j().ethBlockNumber().send().getBlockNumber().toString(16));
        assertThat(besu.rpc.call("tl_jobStatus", jobId.toString())).isEqualTo(Map.of("jobId", "0x" + jobId.toString(16),
            "state", "Unknown", "anchoredBlocks", "0x1", "nextStep", "0xa", "lastBlockHash", firstHash));

        // The rule sees the real head and the real active set (StakeManager.activeSnapshot, once the epoch has turned).
        final var snapshot = devnet.suite(0).stakeManager().activeSnapshot().send();
        assertThat(snapshot.component2().stream().map(String::toLowerCase).sorted().toList())
            .isEqualTo(validators.stream().map(v -> v.getAddress().toLowerCase()).sorted().toList());
        final PolDomain domain = PolDomain.of(devnet.genesis().chainId(), EthAddress.of(anchor));
        final PoLHeader next = new PoLHeader(jobId, 1, Bytes32.fromHexString(firstHash), 10, 20, Bytes32.random(),
            Bytes32.random(), Bytes32.random(), Bytes32.random(), 7);
        assertThat(besu.rules.validate(StandInBesu.tx(anchor, Fixtures.submit(domain, next, validators)))).isEmpty();
        assertThat(besu.selection.preProcess(StandInBesu.tx(anchor, Fixtures.submit(domain, next, validators.subList(0, 1)))).toString())
            .contains("below 2/3");
        assertThat(besu.rules.validate(StandInBesu.tx(anchor,
            Fixtures.submit(domain, next, List.of(devnet.account(4), devnet.account(5), devnet.account(6))))))
            .hasValueSatisfying(r -> assertThat(r).contains("is not in the validator set"));
        final PoLHeader replayed = new PoLHeader(jobId, 0, Bytes32.ZERO, 0, 10, Bytes32.random(), Bytes32.random(),
            Bytes32.random(), Bytes32.random(), 7);
        assertThat(besu.rules.validate(StandInBesu.tx(anchor, Fixtures.submit(domain, replayed, validators))))
            .hasValueSatisfying(r -> assertThat(r).contains("expects block index 1, header has 0"));
        assertThat(besu.rules.validate(StandInBesu.tx(stakeManager, Fixtures.submit(domain, replayed, validators)))).isEqualTo(Optional.empty());
      } finally {
        plugin.stop();
      }
    }
  }

  /**
   * The jar HOSTS the validator library on a real anvil run. The stand-in chain mirrors anvil's
   * blocks with the suite's logs (as Besu would hold them), and the validator reads its events
   * from there through BlockchainService; anchoring, disputes and views go over JSON-RPC as they
   * do inside Besu, here to anvil. It opens its store, follows the suite from the deployment,
   * records the block the quorum anchors and answers {@code tl_polBlock} and
   * {@code tl_verifyRecord} from it; stopped and started again on its data dir it answers from
   * the store at once.
   */
  @Test
  void theJarHostsAValidatorThatFollowsARealChainAndResumesFromItsStore() throws Exception {
    final Path jar = ApiOnlyClassLoader.builtJar();
    assumeTrue(jar != null, "SKIPPED: the plugin jar is not built (run through `./mvnw -pl besu-plugin -am verify`)");
    try (DeployedDevnet devnet = DeployedDevnet.start()) {
      final SuiteActions act = new SuiteActions(devnet);
      final List<Credentials> validators = List.of(devnet.account(1), devnet.account(2), devnet.account(3));
      for (Credentials v : validators) {
        act.stakeAndRegister(v, tl(40_000));
      }
      act.stake(devnet.account(4), tl(1_000));
      devnet.advanceTime(3_600);
      final String[] options = {"--plugin-tensorlink-data-dir=" + tmp.resolve("tl"), "--plugin-tensorlink-roles=validator",
          "--plugin-tensorlink-keystore=" + Fixtures.keystore(tmp, validators.get(0)),
          "--plugin-tensorlink-password-file=" + Fixtures.passwordFile(tmp),
          "--plugin-tensorlink-deployment-file=" + new DeploymentStore(tmp.resolve("deployments")).write(devnet.deployment()),
          "--plugin-tensorlink-rpc-url=" + devnet.rpcUrl(), "--plugin-tensorlink-p2p-host=127.0.0.1", "--plugin-tensorlink-p2p-port=0"};
      final List<String> suite = Arrays.stream(SuiteContract.values()).map(c -> devnet.deployment().address(c)).toList();
      // A Besu whose JSON-RPC is not where the option says: start fails naming the option, and
      // releases what it had opened (the real start below takes the same data dir).
      try (URLClassLoader loader = ApiOnlyClassLoader.forPlugin(jar)) {
        final String closed = "--plugin-tensorlink-rpc-url=http://127.0.0.1:" + PluginJarIT.freePort();
        final List<String> wrongRpc = new ArrayList<>(List.of(options));
        wrongRpc.replaceAll(o -> o.startsWith("--plugin-tensorlink-rpc-url=") ? closed : o);
        assertThatThrownBy(() -> start(loader, new StandInBesu(), wrongRpc.toArray(String[]::new)))
            .hasMessageStartingWith("--plugin-tensorlink-rpc-url: cannot read the suite over http://127.0.0.1:");
      }
      final BigInteger jobId;
      final String firstHash;
      final String submitted;
      try (URLClassLoader loader = ApiOnlyClassLoader.forPlugin(jar)) {
        final StandInBesu besu = new StandInBesu();
        replay(devnet, besu, suite);
        final BesuPlugin plugin = start(loader, besu, options);
        try {
          final Map<?, ?> info = (Map<?, ?>) besu.rpc.call("tl_nodeInfo");
          assertThat(info.get("roles")).isEqualTo(List.of("validator"));
          assertThat(info.get("account")).isEqualTo(validators.get(0).getAddress());
          // The validator serves these now (before: "served by nodes running the validator role").
          assertThat(besu.rpc.call("tl_polBlock", "0x1", "0x0")).isNull();
          assertThat(((Map<?, ?>) besu.rpc.call("tl_verifyRecord", "0x1", "0x0", "0x0", "0x0")).get("reason"))
              .isEqualTo("this node does not follow job 1");

          final Credentials client = devnet.account(0);
          act.createJob(client, tl(1_000), tl(10), devnet.latestTimestamp() + 86_400);
          final ContractSuite c = devnet.suite(client);
          jobId = c.escrow().jobCount().send();
          c.escrow().assign(jobId, List.of(devnet.account(4).getAddress()), bytes32(3)).send();
          final PoLBlock first = act.header(jobId, 0, new byte[32], 0, 10, bytes32(1), bytes32(2));
          final var receipt = act.submit(client, first, validators);
          assertThat(receipt.isStatusOK()).isTrue();
          submitted = receipt.getTransactionHash();
          firstHash = Numeric.toHexString(PoLBlocks.hash(first));
          // The validator reads events from Besu's blocks, not from anvil: until Besu holds the
          // anchoring block, it does not know the block (the validator ticks every second).
          Thread.sleep(2_500);
          assertThat(besu.rpc.call("tl_polBlock", jobId.toString(), "0x0")).isNull();
          replay(devnet, besu, suite);

          PluginJarIT.awaitTrue(() -> besu.rpc.call("tl_polBlock", jobId.toString(), "0x0") != null, "the validator records block 0");
          final Map<?, ?> block = (Map<?, ?>) besu.rpc.call("tl_polBlock", jobId.toString(), "0x0");
          assertThat(block.get("blockHash")).isEqualTo(firstHash);
          // Only the validator's view knows the anchoring transaction (the event-following view has none).
          assertThat(block.get("transactionHash")).isEqualTo(submitted);
          assertThat(block.get("signers")).isEqualTo(validators.stream().map(v -> v.getAddress().toLowerCase()).sorted().toList());
          assertThat(((Map<?, ?>) besu.rpc.call("tl_verifyRecord", jobId.toString(), "0x0", "0x0", "0x0")).get("reason"))
              .isEqualTo("this node does not hold that record");
        } finally {
          plugin.stop();
        }
      }
      // Besu restarted: a fresh plugin on the same data dir answers from its store at once.
      try (URLClassLoader loader = ApiOnlyClassLoader.forPlugin(jar)) {
        final StandInBesu besu = new StandInBesu();
        replay(devnet, besu, suite);
        final BesuPlugin plugin = start(loader, besu, options);
        try {
          final Map<?, ?> block = (Map<?, ?>) besu.rpc.call("tl_polBlock", jobId.toString(), "0x0");
          assertThat(block).as("answered from the store right after start").isNotNull();
          assertThat(block.get("blockHash")).isEqualTo(firstHash);
          assertThat(block.get("transactionHash")).isEqualTo(submitted);
        } finally {
          plugin.stop();
        }
      }
    }
  }

  private static BesuPlugin start(final URLClassLoader loader, final StandInBesu besu, final String... options) {
    final BesuPlugin plugin = ApiOnlyClassLoader.loadPlugin(loader);
    plugin.register(besu);
    besu.cli.parse(options);
    plugin.beforeExternalServices();
    plugin.start();
    return plugin;
  }

  /** Imports anvil's blocks after the stand-in's head up to anvil's latest, with their suite logs. */
  private static void replay(final DeployedDevnet devnet, final StandInBesu besu, final List<String> contracts) throws Exception {
    final long latest = new AnvilMirror(devnet.web3j(), besu, contracts).catchUp();
    assertThat(besu.chain.head()).isEqualTo(latest);
  }
}
