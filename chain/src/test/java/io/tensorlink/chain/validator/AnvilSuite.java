package io.tensorlink.chain.validator;

import io.tensorlink.contracts.ContractSuite;
import io.tensorlink.contracts.SuiteContract;
import io.tensorlink.contracts.deploy.ChainInfo;
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
 * A real anvil from {@code genesis/devnet.json} with today's suite deployed, for the validator tests.
 * A block is mined every {@link #BLOCK_INTERVAL} as on a live chain (the devnet genesis automines
 * only on transactions): a header's randomness must be a block mined after its records were complete.
 */
final class AnvilSuite implements AutoCloseable {
  static final BigInteger TL = SuiteParameters.WEI_PER_TL;
  static final java.time.Duration BLOCK_INTERVAL = java.time.Duration.ofMillis(500);

  private final AnvilProcess anvil;
  private final HttpService http;
  private final Web3j web3j;
  private final MnemonicAccounts accounts;
  private final Deployment deployment;
  private final SuiteParameters parameters;
  private final java.util.concurrent.atomic.AtomicBoolean minerPaused = new java.util.concurrent.atomic.AtomicBoolean();
  private final java.util.concurrent.ScheduledExecutorService miner =
      java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
        final Thread t = new Thread(r, "anvil-miner");
        t.setDaemon(true);
        return t;
      });

  private AnvilSuite(final AnvilProcess anvil, final DevnetGenesis genesis) {
    this.anvil = anvil;
    this.http = new HttpService(anvil.rpcUrl());
    this.web3j = Web3j.build(http);
    this.accounts = new MnemonicAccounts(genesis.mnemonic());
    this.parameters = SuiteParameters.fromGenesis(genesis);
    this.deployment = new ContractsDeployer(web3j, accounts.account(0)).deploy(parameters, d -> {});
    miner.scheduleWithFixedDelay(() -> {
      if (minerPaused.get()) {
        return;
      }
      try {
        rpc("evm_mine", List.of());
      } catch (RuntimeException e) {
        // anvil is shutting down, or busy: the next tick mines
      }
    }, BLOCK_INTERVAL.toMillis(), BLOCK_INTERVAL.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
  }

  SuiteParameters parameters() {
    return parameters;
  }

  /** Starts anvil and deploys; skips the calling test when anvil is not installed. */
  static AnvilSuite start() {
    final Optional<Path> binary = AnvilBinary.find(Path.of(""));
    Assumptions.assumeTrue(binary.isPresent(), "anvil is not installed (run ./tl setup): skipping validator tests on anvil");
    final DevnetGenesis genesis = DevnetGenesis.load(DevnetGenesis.locate(Path.of("")));
    final Path log;
    try {
      log = Files.createTempFile("anvil-validator-", ".log");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    log.toFile().deleteOnExit();
    final AnvilProcess anvil = AnvilProcess.start(binary.get(), genesis, 0, log);
    try {
      return new AnvilSuite(anvil, genesis);
    } catch (RuntimeException e) {
      anvil.close();
      throw e;
    }
  }

  Web3j web3j() {
    return web3j;
  }

  String rpcUrl() {
    return anvil.rpcUrl();
  }

  Deployment deployment() {
    return deployment;
  }

  Credentials account(final int index) {
    return accounts.account(index);
  }

  ContractSuite suite(final Credentials who) {
    return ContractSuite.connect(web3j, who, deployment);
  }

  /** Stakes 40,000 TL and registers as a validator; signs from the next epoch. */
  void stakeValidator(final Credentials who) throws Exception {
    stake(who, tl(40_000));
    suite(who).stakeManager().registerValidator().send();
  }

  void stake(final Credentials who, final BigInteger amount) throws Exception {
    final ContractSuite s = suite(who);
    s.token().approve(deployment.address(SuiteContract.STAKE_MANAGER), amount).send();
    s.stakeManager().stake(amount).send();
  }

  /** Creates a job as {@code client} and assigns {@code workers}; returns its id. */
  BigInteger createAssignedJob(final Credentials client, final List<Credentials> workers) throws Exception {
    final BigInteger jobId = createJob(client);
    suite(client).escrow().assign(jobId, workers.stream().map(Credentials::getAddress).toList(), word(3)).send();
    return jobId;
  }

  /** Creates an exact-mode job (10% verify rate) as {@code client}; returns its id. */
  BigInteger createJob(final Credentials client) throws Exception {
    return createJob(client, 100_000);
  }

  /** Creates an exact-mode job verifying {@code ratePpm} of the records as {@code client}; returns its id. */
  BigInteger createJob(final Credentials client, final long ratePpm) throws Exception {
    return createJob(client, word(1), word(2), (int) ratePpm, tl(1));
  }

  /** Creates an exact-mode job for a model ({@code specHash}) and spec ({@code paramsHash}) as {@code client}; returns its id. */
  BigInteger createJob(final Credentials client, final byte[] specHash, final byte[] paramsHash, final int verifyRatePpm,
      final BigInteger pricePerStep) throws Exception {
    final ContractSuite s = suite(client);
    final BigInteger budget = tl(10_000);
    s.token().approve(deployment.address(SuiteContract.JOB_ESCROW), budget).send();
    final long deadline = ChainInfo.latestBlock(web3j).getTimestamp().longValueExact() + 86_400;
    s.escrow().createJob(specHash, budget, pricePerStep, BigInteger.valueOf(deadline), paramsHash,
        BigInteger.valueOf(verifyRatePpm), BigInteger.ZERO, BigInteger.ZERO).send();
    return s.escrow().jobCount().send();
  }

  long head() {
    try {
      return web3j.ethBlockNumber().send().getBlockNumber().longValueExact();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Waits until the chain's head is at least {@code number}. */
  void awaitBlock(final long number) {
    Worker.await(() -> head() >= number, java.time.Duration.ofSeconds(30), "chain block " + number);
  }

  /**
   * Stops (or resumes) the periodic block: with it stopped, a block is mined only for a transaction
   * (anvil's automine), so nothing that waits for a later block than its own transaction's goes on.
   */
  void pauseBlocks(final boolean paused) {
    minerPaused.set(paused);
  }

  /** Waits until {@code jobId} has at least {@code blocks} anchored blocks (read as {@code reader}). */
  void awaitAnchored(final Credentials reader, final BigInteger jobId, final long blocks, final java.time.Duration wait) {
    Worker.await(() -> {
      try {
        return suite(reader).anchor().head(jobId).send().component2().longValueExact() >= blocks;
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }, wait, blocks + " anchored blocks of job " + jobId);
  }

  void advanceTime(final long seconds) {
    rpc("evm_increaseTime", List.of(seconds));
    rpc("evm_mine", List.of());
  }

  static BigInteger tl(final long whole) {
    return BigInteger.valueOf(whole).multiply(TL);
  }

  static byte[] word(final int last) {
    final byte[] b = new byte[32];
    b[31] = (byte) last;
    return b;
  }

  private void rpc(final String method, final List<?> params) {
    try {
      final Response<?> r = new Request<>(method, params, http, AnyResponse.class).send();
      if (r.hasError()) {
        throw new IllegalStateException(method + ": " + r.getError().getMessage());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A JSON-RPC answer whose result is not needed. */
  public static final class AnyResponse extends Response<Object> {}

  @Override
  public void close() {
    miner.shutdownNow();
    web3j.shutdown();
    anvil.close();
  }
}
