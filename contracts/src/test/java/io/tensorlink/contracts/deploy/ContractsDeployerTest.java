package io.tensorlink.contracts.deploy;

import static io.tensorlink.contracts.testing.DeployedDevnet.TL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tensorlink.contracts.ContractSuite;
import io.tensorlink.contracts.SuiteContract;
import io.tensorlink.contracts.generated.DisputeCourt;
import io.tensorlink.contracts.generated.JobEscrow;
import io.tensorlink.contracts.generated.StakeManager;
import io.tensorlink.contracts.generated.XmrEscrowRegistry;
import io.tensorlink.contracts.testing.DeployedDevnet;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.tx.gas.DefaultGasProvider;

class ContractsDeployerTest {
  @AutoClose private static DeployedDevnet devnet;

  @TempDir Path dir;

  @BeforeAll
  static void start() {
    devnet = DeployedDevnet.start();
  }

  @Test
  void deploysTheSuiteWiredAndParameterisedFromGenesis() throws Exception {
    final Deployment d = devnet.deployment();
    final ContractSuite suite = devnet.suite(0);
    final SuiteParameters p = SuiteParameters.fromGenesis(devnet.genesis());

    assertThat(d.chainId()).isEqualTo(7701);
    assertThat(d.contracts()).extracting(DeployedContract::name)
        .containsExactly("TensorLinkToken", "StakeManager", "JobEscrow", "PoLAnchor", "DisputeCourt", "XmrEscrowRegistry");
    assertThat(d.wiring()).extracting(DeployedContract::name).containsExactly("StakeManager.connect", "JobEscrow.connect");
    assertThat(d.contracts()).allSatisfy(c -> assertThat(c.gasUsed()).isPositive());

    // Token supply follows the genesis allocations: account 0 gets 10M TL, the others 100k.
    assertThat(suite.token().balanceOf(devnet.account(0).getAddress()).send()).isEqualTo(BigInteger.valueOf(10_000_000).multiply(TL));
    assertThat(suite.token().balanceOf(devnet.account(9).getAddress()).send()).isEqualTo(BigInteger.valueOf(100_000).multiply(TL));
    assertThat(suite.token().totalSupply().send()).isEqualTo(BigInteger.valueOf(10_900_000).multiply(TL));

    // Wiring: the court is the only slasher, the escrow knows the anchor.
    assertThat(suite.stakeManager().disputeCourt().send()).isEqualToIgnoringCase(d.address(SuiteContract.DISPUTE_COURT));
    assertThat(suite.stakeManager().escrow().send()).isEqualToIgnoringCase(d.address(SuiteContract.JOB_ESCROW));
    assertThat(suite.escrow().anchor().send()).isEqualToIgnoringCase(d.address(SuiteContract.POL_ANCHOR));
    // The XMR escrow registry trusts this suite's JobEscrow for clients and assignments.
    final XmrEscrowRegistry registry = XmrEscrowRegistry.load(d.address(SuiteContract.XMR_ESCROW_REGISTRY), devnet.web3j(),
        devnet.account(0), new DefaultGasProvider());
    assertThat(registry.jobs().send()).isEqualToIgnoringCase(d.address(SuiteContract.JOB_ESCROW));

    final StakeManager.Params staking = suite.stakeManager().params().send();
    assertThat(staking.minValidatorStake).isEqualTo(BigInteger.valueOf(39_900).multiply(TL));
    assertThat(staking.unbondingPeriod).isEqualTo(BigInteger.valueOf(604_800));
    assertThat(suite.stakeManager().maxValidators().send()).isEqualTo(BigInteger.valueOf(20));
    final JobEscrow.Params escrow = suite.escrow().params().send();
    assertThat(escrow.validatorFeeBps).isEqualTo(BigInteger.valueOf(p.validatorFeeBps()));
    assertThat(escrow.treasury).isEqualToIgnoringCase(devnet.account(0).getAddress());
    final DisputeCourt.Params court = suite.court().params().send();
    assertThat(court.challengeBond).isEqualTo(BigInteger.valueOf(100).multiply(TL));
    assertThat(court.slashBps).isEqualTo(BigInteger.valueOf(1000));
  }

  @Test
  void recordsTheDeploymentAndRefusesToOverwriteALiveSuiteUnlessForced() throws Exception {
    final DeploymentStore store = new DeploymentStore(dir.resolve("deployments"));
    final ContractsDeployer deployer = new ContractsDeployer(devnet.web3j(), devnet.account(0));
    final List<DeployedContract> progress = new ArrayList<>();
    final SuiteParameters params = SuiteParameters.fromGenesis(devnet.genesis());

    final Deployment first = deployer.deployAndRecord(store, params, false, progress::add);

    assertThat(progress).extracting(DeployedContract::name).containsExactly("TensorLinkToken", "StakeManager", "JobEscrow",
        "PoLAnchor", "DisputeCourt", "StakeManager.connect", "JobEscrow.connect", "XmrEscrowRegistry");
    assertThat(store.read(7701)).contains(first);
    assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("deployments/7701.json"))))
        .isEqualTo("rw-r--r--");
    assertThat(deployer.isLive(first)).isTrue();

    assertThatThrownBy(() -> deployer.deployAndRecord(store, params, false, d -> {}))
        .isInstanceOf(DeploymentException.class)
        .hasMessageContaining("already has a live suite")
        .hasMessageContaining("--force");

    final Deployment forced = deployer.deployAndRecord(store, params, true, d -> {});
    assertThat(forced.address(SuiteContract.TOKEN)).isNotEqualTo(first.address(SuiteContract.TOKEN));
    assertThat(store.require(7701)).isEqualTo(forced);
  }

  @Test
  void aStaleRecordFromAnotherChainInstanceIsReplaced() {
    final DeploymentStore store = new DeploymentStore(dir);
    final Deployment live = devnet.deployment();
    store.write(new Deployment(live.chainId(), live.deployer(), live.deployedAt(), "0x" + "ab".repeat(32), live.contracts(), live.wiring()));
    final ContractsDeployer deployer = new ContractsDeployer(devnet.web3j(), devnet.account(0));

    final Deployment fresh = deployer.deployAndRecord(store, SuiteParameters.fromGenesis(devnet.genesis()), false, d -> {});

    assertThat(store.require(7701)).isEqualTo(fresh);
    assertThat(fresh.genesisBlockHash()).isEqualTo(ChainInfo.genesisBlockHash(devnet.web3j()));
  }

  @Test
  void missingOrForeignRecordsAreClearErrors() throws Exception {
    final DeploymentStore store = new DeploymentStore(dir);
    assertThatThrownBy(() -> store.require(7701)).hasMessageContaining("run 'tl-cli contracts deploy' first");
    final Deployment live = devnet.deployment();
    store.write(new Deployment(1, live.deployer(), live.deployedAt(), live.genesisBlockHash(), live.contracts(), live.wiring()));
    Files.move(dir.resolve("1.json"), dir.resolve("7701.json"));
    assertThatThrownBy(() -> store.read(7701)).hasMessageContaining("records chain id 1, not 7701");
    Files.writeString(dir.resolve("7701.json"), "{\"chainId\": 7701}");
    assertThatThrownBy(() -> store.read(7701))
        .hasMessageContaining("is not a deployment record")
        .hasMessageContaining("needs deployer, genesisBlockHash, contracts and wiring");
  }

  @Test
  void genesisAccountsFollowTheStandardDerivationPath() {
    // anvil's well-known first and last accounts of the public test mnemonic.
    assertThat(devnet.account(0).getAddress()).isEqualTo("0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266");
    assertThat(devnet.account(9).getAddress()).isEqualTo("0xa0ee7a142d267c1f36714e4a8f75612f20a79720");
  }
}
