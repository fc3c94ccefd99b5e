package io.tensorlink.contracts.deploy;

import io.tensorlink.contracts.SuiteContract;
import io.tensorlink.contracts.generated.DisputeCourt;
import io.tensorlink.contracts.generated.JobEscrow;
import io.tensorlink.contracts.generated.PoLAnchor;
import io.tensorlink.contracts.generated.StakeManager;
import io.tensorlink.contracts.generated.TensorLinkToken;
import io.tensorlink.contracts.generated.XmrEscrowRegistry;
import io.tensorlink.contracts.revert.RevertDecoder;
import io.tensorlink.contracts.tx.NodeGasProvider;
import io.tensorlink.contracts.tx.SuiteTransactionManager;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.RemoteCall;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.tx.Contract;
import org.web3j.tx.gas.ContractGasProvider;

/**
 * Deploys the suite in the order of {@code docs/contracts.md} (token, StakeManager, JobEscrow,
 * PoLAnchor, DisputeCourt), wires it ({@code StakeManager.connect}, {@code JobEscrow.connect}), then
 * deploys the XmrEscrowRegistry of {@code docs/monero.md} for that JobEscrow, and records the result.
 * The registry comes last so the other five keep the addresses they had before it joined the suite.
 * Works against any JSON-RPC node; the deployer becomes the owner.
 *
 * <p>Re-running is guarded: {@link #deployAndRecord} refuses when the chain's record points at a
 * live suite (same genesis block, token code present) unless forced; a stale record (a restarted
 * devnet) is replaced without asking.
 */
public final class ContractsDeployer {
  private static final Logger LOG = LoggerFactory.getLogger(ContractsDeployer.class);

  private final Web3j web3j;
  private final Credentials deployer;
  private final long chainId;
  private final SuiteTransactionManager tx;
  private final ContractGasProvider gas;

  public ContractsDeployer(final Web3j web3j, final Credentials deployer) {
    this.web3j = web3j;
    this.deployer = deployer;
    this.chainId = ChainInfo.chainId(web3j);
    this.tx = new SuiteTransactionManager(web3j, deployer, chainId, RevertDecoder.forSuite());
    this.gas = NodeGasProvider.forChain(web3j, chainId, ChainInfo.latestBlock(web3j));
  }

  public long chainId() {
    return chainId;
  }

  /** Whether a recorded deployment is the one running on this node now. */
  public boolean isLive(final Deployment recorded) {
    return recorded.chainId() == chainId
        && recorded.genesisBlockHash().equalsIgnoreCase(ChainInfo.genesisBlockHash(web3j))
        && ChainInfo.hasCode(web3j, recorded.address(SuiteContract.TOKEN));
  }

  /**
   * Deploys and writes {@code <chainId>.json}, unless a live suite is already recorded.
   *
   * @param force deploy a new suite even over a live record (the old one stays on chain, unrecorded)
   * @throws DeploymentException naming the record when a live suite exists and {@code force} is off
   */
  public Deployment deployAndRecord(
      final DeploymentStore store, final SuiteParameters params, final boolean force, final Consumer<DeployedContract> progress) {
    store.read(chainId).ifPresent(existing -> {
      if (isLive(existing) && !force) {
        throw new DeploymentException(
            "chain " + chainId + " already has a live suite recorded in " + store.file(chainId)
                + " (token " + existing.address(SuiteContract.TOKEN) + "); pass --force to deploy a new one over it");
      }
      LOG.info("replacing the {} deployment record {}", isLive(existing) ? "live (forced)" : "stale", store.file(chainId));
    });
    final Deployment deployment = deploy(params, progress);
    store.write(deployment);
    return deployment;
  }

  /** Deploys and wires the suite; {@code progress} hears of each transaction as it is mined. */
  public Deployment deploy(final SuiteParameters p, final Consumer<DeployedContract> progress) {
    final String genesisHash = ChainInfo.genesisBlockHash(web3j);
    final String owner = deployer.getAddress();
    final List<DeployedContract> contracts = new ArrayList<>();
    final List<DeployedContract> wiring = new ArrayList<>();

    final TensorLinkToken token =
        created(contracts, progress, SuiteContract.TOKEN,
            TensorLinkToken.deploy(web3j, tx, gas, p.tokenName(), p.tokenSymbol(),
                p.allocations().stream().map(SuiteParameters.Allocation::holder).toList(),
                p.allocations().stream().map(SuiteParameters.Allocation::amount).toList()));
    final StakeManager stakeManager =
        created(contracts, progress, SuiteContract.STAKE_MANAGER,
            StakeManager.deploy(web3j, tx, gas, token.getContractAddress(),
                new StakeManager.Params(p.minValidatorStake(), p.minWorkerStake(), big(p.unbondingPeriodSeconds())),
                big(p.maxValidators()), big(p.epochLengthSeconds()), owner));
    final JobEscrow escrow =
        created(contracts, progress, SuiteContract.JOB_ESCROW,
            JobEscrow.deploy(web3j, tx, gas, token.getContractAddress(), stakeManager.getContractAddress(),
                new JobEscrow.Params(big(p.challengeWindowSeconds()), big(p.validatorFeeBps()), big(p.protocolFeeBps()),
                    big(p.maxWorkersPerJob()), p.treasury()),
                owner));
    final PoLAnchor anchor =
        created(contracts, progress, SuiteContract.POL_ANCHOR,
            PoLAnchor.deploy(web3j, tx, gas, stakeManager.getContractAddress(), escrow.getContractAddress()));
    final DisputeCourt court =
        created(contracts, progress, SuiteContract.DISPUTE_COURT,
            DisputeCourt.deploy(web3j, tx, gas, token.getContractAddress(), stakeManager.getContractAddress(),
                anchor.getContractAddress(), escrow.getContractAddress(),
                new DisputeCourt.Params(p.challengeBond(), big(p.votingWindowSeconds()), big(p.committeeSize()),
                    big(p.challengerRewardBps()), big(p.slashBps())),
                owner));

    called(wiring, progress, "StakeManager.connect", stakeManager.getContractAddress(),
        stakeManager.connect(escrow.getContractAddress(), court.getContractAddress()));
    called(wiring, progress, "JobEscrow.connect", escrow.getContractAddress(),
        escrow.connect(anchor.getContractAddress(), court.getContractAddress()));
    created(contracts, progress, SuiteContract.XMR_ESCROW_REGISTRY,
        XmrEscrowRegistry.deploy(web3j, tx, gas, escrow.getContractAddress()));

    return new Deployment(chainId, owner, Instant.now().toString(), genesisHash, contracts, wiring);
  }

  private static <C extends Contract> C created(
      final List<DeployedContract> into, final Consumer<DeployedContract> progress, final SuiteContract which, final RemoteCall<C> deploy) {
    final C contract = send(deploy, "deploying " + which.solidityName());
    final TransactionReceipt r =
        contract.getTransactionReceipt().orElseThrow(() -> new DeploymentException(which.solidityName() + " deployed without a receipt"));
    final DeployedContract step = record(which.solidityName(), contract.getContractAddress(), r);
    into.add(step);
    progress.accept(step);
    return contract;
  }

  private static void called(
      final List<DeployedContract> into, final Consumer<DeployedContract> progress, final String name, final String address,
      final RemoteCall<TransactionReceipt> call) {
    final DeployedContract step = record(name, address, send(call, name));
    into.add(step);
    progress.accept(step);
  }

  private static DeployedContract record(final String name, final String address, final TransactionReceipt r) {
    return new DeployedContract(name, address, r.getTransactionHash(), r.getBlockNumber().longValueExact(), r.getGasUsed().longValueExact());
  }

  private static <T> T send(final RemoteCall<T> call, final String what) {
    try {
      return call.send();
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new DeploymentException(what + " failed: " + e.getMessage(), e);
    }
  }

  private static BigInteger big(final long v) {
    return BigInteger.valueOf(v);
  }
}
