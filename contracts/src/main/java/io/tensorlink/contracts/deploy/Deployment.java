package io.tensorlink.contracts.deploy;

import io.tensorlink.contracts.SuiteContract;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * What {@code deployments/<chainId>.json} records about a deployed suite.
 *
 * @param chainId the chain the suite lives on
 * @param deployer the account that deployed it (and owns StakeManager, JobEscrow, DisputeCourt)
 * @param deployedAt ISO-8601 instant the deployment finished
 * @param genesisBlockHash hash of block 0, which tells a restarted devnet (same chain id) apart
 * @param contracts the suite's contracts, in deployment order
 * @param wiring the {@code connect} calls made after deployment
 */
public record Deployment(
    long chainId,
    String deployer,
    String deployedAt,
    String genesisBlockHash,
    List<DeployedContract> contracts,
    List<DeployedContract> wiring) {

  public Deployment {
    if (deployer == null || genesisBlockHash == null || contracts == null || wiring == null) {
      throw new IllegalArgumentException("a deployment record needs deployer, genesisBlockHash, contracts and wiring");
    }
    contracts = List.copyOf(contracts);
    wiring = List.copyOf(wiring);
  }

  /** The address of one suite contract. */
  public String address(final SuiteContract contract) {
    return contracts.stream()
        .filter(c -> c.name().equals(contract.solidityName()))
        .map(DeployedContract::address)
        .findFirst()
        .orElseThrow(() -> new NoSuchElementException("the deployment record of chain " + chainId + " has no " + contract.solidityName()
            + " (recorded before it joined the suite?); run 'tl-cli contracts deploy --force' to deploy the whole suite again"));
  }

  /** The block the first contract was deployed in: where event scans start. */
  public long startBlock() {
    return contracts.stream().mapToLong(DeployedContract::blockNumber).min().orElse(0);
  }
}
