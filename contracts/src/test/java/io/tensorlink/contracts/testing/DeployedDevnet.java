package io.tensorlink.contracts.testing;

import io.tensorlink.contracts.ContractSuite;
import io.tensorlink.contracts.deploy.ContractsDeployer;
import io.tensorlink.contracts.deploy.Deployment;
import io.tensorlink.contracts.deploy.MnemonicAccounts;
import io.tensorlink.contracts.deploy.SuiteParameters;
import io.tensorlink.contracts.devnet.AnvilBinary;
import io.tensorlink.contracts.devnet.AnvilProcess;
import io.tensorlink.contracts.devnet.DevnetGenesis;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.http.HttpService;

/**
 * A real anvil started from {@code genesis/devnet.json} with the suite deployed by account 0: one
 * per test class (deploying takes a few seconds), isolated between tests with anvil snapshots.
 */
public final class DeployedDevnet implements AutoCloseable {
  /** 10^18. */
  public static final BigInteger TL = SuiteParameters.WEI_PER_TL;

  private final AnvilProcess anvil;
  private final HttpService http;
  private final Web3j web3j;
  private final DevnetGenesis genesis;
  private final MnemonicAccounts accounts;
  private final Deployment deployment;

  private DeployedDevnet(final AnvilProcess anvil, final DevnetGenesis genesis) {
    this.anvil = anvil;
    this.genesis = genesis;
    this.http = new HttpService(anvil.rpcUrl());
    this.web3j = Web3j.build(http);
    this.accounts = new MnemonicAccounts(genesis.mnemonic());
    this.deployment = new ContractsDeployer(web3j, accounts.account(0)).deploy(SuiteParameters.fromGenesis(genesis), d -> {});
  }

  /** Starts anvil and deploys; skips the calling test class when anvil is not installed. */
  public static DeployedDevnet start() {
    final Optional<Path> binary = AnvilBinary.find(Path.of(""));
    Assumptions.assumeTrue(binary.isPresent(), "anvil is not installed (run ./tl setup): skipping anvil integration tests");
    final DevnetGenesis genesis = DevnetGenesis.load(DevnetGenesis.locate(Path.of("")));
    final Path log;
    try {
      log = Files.createTempFile("anvil-", ".log");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    log.toFile().deleteOnExit();
    final AnvilProcess anvil = AnvilProcess.start(binary.get(), genesis, 0, log);
    try {
      return new DeployedDevnet(anvil, genesis);
    } catch (RuntimeException e) {
      anvil.close();
      throw e;
    }
  }

  /** anvil's HTTP JSON-RPC URL, for a client that builds its own connection (the Besu plugin's validator). */
  public String rpcUrl() {
    return anvil.rpcUrl();
  }

  public Web3j web3j() {
    return web3j;
  }

  public DevnetGenesis genesis() {
    return genesis;
  }

  public Deployment deployment() {
    return deployment;
  }

  public Credentials account(final int index) {
    return accounts.account(index);
  }

  /** The suite as seen by genesis account {@code index}. */
  public ContractSuite suite(final int index) {
    return ContractSuite.connect(web3j, account(index), deployment);
  }

  public ContractSuite suite(final Credentials who) {
    return ContractSuite.connect(web3j, who, deployment);
  }

  /** Moves the chain clock forward and mines a block at the new time. */
  public void advanceTime(final long seconds) {
    rpc("evm_increaseTime", List.of(seconds));
    rpc("evm_mine", List.of());
  }

  /** Mines {@code blocks} empty blocks (a dispute's committee is drawn from a later block's hash). */
  public void mine(final int blocks) {
    rpc("anvil_mine", List.of("0x" + Integer.toHexString(blocks)));
  }

  public long latestTimestamp() {
    return io.tensorlink.contracts.deploy.ChainInfo.latestBlock(web3j).getTimestamp().longValueExact();
  }

  /** Takes an anvil state snapshot; returns its id for {@link #revert}. */
  public String snapshot() {
    return String.valueOf(rpc("evm_snapshot", List.of()));
  }

  public void revert(final String snapshotId) {
    rpc("evm_revert", List.of(snapshotId));
  }

  /** Gives {@code to} ether for gas, from account 0. */
  public void fundEther(final String to, final BigInteger wei) {
    rpc("anvil_setBalance", List.of(to, "0x" + wei.toString(16)));
  }

  private Object rpc(final String method, final List<?> params) {
    try {
      final Response<?> r = new Request<>(method, params, http, GenericResponse.class).send();
      if (r.hasError()) {
        throw new IllegalStateException(method + ": " + r.getError().getMessage());
      }
      return r.getResult();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A JSON-RPC answer whose result is kept as whatever JSON value it is. */
  public static final class GenericResponse extends Response<Object> {}

  @Override
  public void close() {
    web3j.shutdown();
    anvil.close();
  }
}
