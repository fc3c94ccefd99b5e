package io.tensorlink.contracts;

import io.tensorlink.contracts.deploy.ChainInfo;
import io.tensorlink.contracts.deploy.Deployment;
import io.tensorlink.contracts.deploy.DeploymentException;
import io.tensorlink.contracts.generated.DisputeCourt;
import io.tensorlink.contracts.generated.JobEscrow;
import io.tensorlink.contracts.generated.PoLAnchor;
import io.tensorlink.contracts.generated.StakeManager;
import io.tensorlink.contracts.generated.TensorLinkToken;
import io.tensorlink.contracts.pol.Eip712Domain;
import io.tensorlink.contracts.revert.RevertDecoder;
import io.tensorlink.contracts.tx.NodeGasProvider;
import io.tensorlink.contracts.tx.SuiteTransactionManager;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import java.math.BigInteger;
import java.util.Optional;
import org.web3j.protocol.core.methods.response.EthBlock;
import org.web3j.tx.gas.ContractGasProvider;

/**
 * The deployed suite as seen by one account: the five generated bindings sharing a
 * {@link SuiteTransactionManager}, so every call and transaction pre-flights and decodes reverts.
 */
public final class ContractSuite {
  private final Deployment deployment;
  private final Credentials account;
  private final TensorLinkToken token;
  private final StakeManager stakeManager;
  private final JobEscrow escrow;
  private final PoLAnchor anchor;
  private final DisputeCourt court;

  private ContractSuite(
      final Deployment deployment,
      final Credentials account,
      final SuiteTransactionManager transactions,
      final Web3j web3j,
      final ContractGasProvider gas) {
    this.deployment = deployment;
    this.account = account;
    this.token = TensorLinkToken.load(deployment.address(SuiteContract.TOKEN), web3j, transactions, gas);
    this.stakeManager = StakeManager.load(deployment.address(SuiteContract.STAKE_MANAGER), web3j, transactions, gas);
    this.escrow = JobEscrow.load(deployment.address(SuiteContract.JOB_ESCROW), web3j, transactions, gas);
    this.anchor = PoLAnchor.load(deployment.address(SuiteContract.POL_ANCHOR), web3j, transactions, gas);
    this.court = DisputeCourt.load(deployment.address(SuiteContract.DISPUTE_COURT), web3j, transactions, gas);
  }

  /**
   * Binds the recorded deployment for {@code account}.
   *
   * @throws DeploymentException if the node is on another chain or the token has no code there
   *     (a restarted devnet whose record is stale)
   */
  public static ContractSuite connect(final Web3j web3j, final Credentials account, final Deployment deployment) {
    return connect(web3j, account, deployment, Optional.empty());
  }

  /**
   * As {@link #connect(Web3j, Credentials, Deployment)}; with {@code gasPrice}, every transaction pays
   * exactly that many wei per gas (see {@link NodeGasProvider#fixed}).
   */
  public static ContractSuite connect(
      final Web3j web3j, final Credentials account, final Deployment deployment, final Optional<BigInteger> gasPrice) {
    final long chainId = ChainInfo.chainId(web3j);
    if (chainId != deployment.chainId()) {
      throw new DeploymentException("the node is on chain " + chainId + " but the deployment record is for chain " + deployment.chainId());
    }
    if (!ChainInfo.hasCode(web3j, deployment.address(SuiteContract.TOKEN))) {
      throw new DeploymentException(
          "no contract at the recorded TensorLinkToken address " + deployment.address(SuiteContract.TOKEN)
              + " on chain " + chainId + " (was the devnet restarted?); run 'tl-cli contracts deploy'");
    }
    final SuiteTransactionManager tx = new SuiteTransactionManager(web3j, account, chainId, RevertDecoder.forSuite());
    final EthBlock.Block latest = ChainInfo.latestBlock(web3j);
    final ContractGasProvider gas = gasPrice.map(p -> NodeGasProvider.fixed(deployment.chainId(), latest, p))
        .orElseGet(() -> NodeGasProvider.forChain(web3j, deployment.chainId(), latest));
    return new ContractSuite(deployment, account, tx, web3j, gas);
  }

  public Deployment deployment() {
    return deployment;
  }

  /** The account this view signs with. */
  public String account() {
    return account.getAddress();
  }

  public TensorLinkToken token() {
    return token;
  }

  public StakeManager stakeManager() {
    return stakeManager;
  }

  public JobEscrow escrow() {
    return escrow;
  }

  public PoLAnchor anchor() {
    return anchor;
  }

  public DisputeCourt court() {
    return court;
  }

  /** The EIP-712 domain PoL block signatures are made in. */
  public Eip712Domain polDomain() {
    return Eip712Domain.polAnchor(deployment.chainId(), anchor.getContractAddress());
  }
}
