package io.tensorlink.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tensorlink.contracts.ContractSuite;
import io.tensorlink.monero.regtest.DevnetMonero;
import io.tensorlink.monero.regtest.MoneroBinaries;
import io.tensorlink.monero.regtest.MoneroRegtest;
import io.tensorlink.monero.regtest.RegtestDaemon;
import io.tensorlink.monero.rpc.DaemonRpc;
import io.tensorlink.monero.rpc.MoneroRpcException;
import io.tensorlink.monero.rpc.WalletRpc;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A job paid in XMR through the nodes alone, on loopback: separate {@code tl-cli node start --xmr}
 * processes (two validators, a worker, a client), a real anvil, and the devnet's regtest monerod
 * ({@code devnet up --with-monero}) on which a miner thread of the test mines a block every two
 * seconds. The client creates the job with {@code --pay xmr}; its node sets up and funds the 2-of-3
 * escrow with the worker and the deterministic arbiter (each node running its own escrow
 * wallet-rpc); the job trains and is anchored; once it has ended and the challenge windows have
 * passed, the worker's node releases its anchored pay (co-signed by the client's) and the client's
 * node sweeps the rest back. Checked to the piconero: the worker's wallet receives exactly its
 * anchored payout leaves at the XMR price, and the refund is the deposit less pay, arbiter fee and
 * both network fees. The client's node is killed (SIGKILL) once the escrow is funded and restarted on
 * its data dir: it takes the job up again and settles as if it had never been away. About four
 * minutes on a 2-core machine; skips without anvil, the CLI jar or
 * Debian's monero package.
 */
class XmrJobNetworkTest {
  private static final Duration SETTLE_WAIT = Duration.ofMinutes(15);
  private static final long XMR = 1_000_000_000_000L;
  private static final long PRICE_PER_STEP = XMR / 200;
  private static final long DEPOSIT = XMR;
  private static final long ARBITER_FEE = XMR / 20;
  /** Long enough that the client's node, killed once the escrow is funded, is back while the job runs. */
  private static final int STEPS = 120;

  @TempDir Path dir;

  @Test
  void theWorkerIsPaidItsAnchoredStepsInXmrAndTheClientGetsTheRestBack() throws Exception {
    LoopbackNetwork.assumeRunnable();
    Assumptions.assumeTrue(MoneroBinaries.find().isPresent(), "monerod is not installed: " + MoneroBinaries.INSTALL_HINT);
    final ScheduledExecutorService miner = Executors.newSingleThreadScheduledExecutor();
    try (LoopbackNetwork net = LoopbackNetwork.start(dir, List.of("1", "2"), List.of("5"), 60)) {
      LoopbackNetwork.ok(net.cli("chain", "devnet", "up", "--with-monero"));
      final DevnetMonero.State monero = new DevnetMonero(DevnetMonero.dirIn(net.dataDir("chain"))).state().orElseThrow();
      final DaemonRpc daemon = new DaemonRpc(monero.daemonRpc().withTimeout(Duration.ofMinutes(3)));
      final WalletRpc wallets = new WalletRpc(monero.walletRpc().withTimeout(Duration.ofMinutes(3)));

      // Payout wallets in the devnet's wallet-rpc; the client's last, so it stays open and funds the escrow.
      final String workerAddress = createWallet(wallets, "worker");
      final String arbiterAddress = createWallet(wallets, "arbiter");
      final String clientAddress = createWallet(wallets, "client");
      RegtestDaemon.mine(daemon, 70, clientAddress);
      RegtestDaemon.mine(daemon, 60, MoneroRegtest.BURN_ADDRESS); // coinbase unlocks after 60 blocks
      miner.scheduleWithFixedDelay(() -> {
        try {
          RegtestDaemon.mine(daemon, 1, MoneroRegtest.BURN_ADDRESS);
        } catch (MoneroRpcException e) {
          // the devnet goes down at the end
        }
      }, 2, 2, TimeUnit.SECONDS);

      for (final String[] node : List.of(new String[] {"v1", arbiterAddress}, new String[] {"v2", arbiterAddress},
          new String[] {"w", workerAddress}, new String[] {"client", clientAddress})) {
        LoopbackNetwork.ok(net.cli(node[0], "config", "set", "xmr.payout-address", node[1]));
      }
      final String[] xmr = {"--xmr", "--xmr-daemon", monero.daemonAddress()};
      final String boot = net.start("v1", "1", "validator", concat(xmr, "--leader-timeout", "20")).firstAddress();
      net.start("v2", "2", "validator", concat(xmr, "--bootstrap", boot, "--leader-timeout", "20"));
      net.start("w", "5", "worker", concat(xmr, "--bootstrap", boot));
      final LoopbackNetwork.Node clientNode = net.start("client", "4", "client", concat(xmr, "--bootstrap", boot,
          "--bid-window", "20", "--xmr-wallet-rpc", "http://127.0.0.1:" + monero.walletRpcPort()));

      final BigInteger jobId = new BigInteger(net.json("client", "job", "create", "--model", "mlp", "--dataset",
          "synthetic:1024", "--steps", Integer.toString(STEPS), "--batch", "32", "--stages", "1", "--replicas", "1",
          "--block-steps", "10", "--budget", Integer.toString(STEPS), "--price-per-step", "1", "--deadline", "2h",
          "--pay", "xmr", "--price-per-step-xmr", "0.005", "--xmr-deposit", "1", "--genesis-account", "4",
          "--deployments", net.deployments(), "--yes", "--json").path("jobId").asText());

      // The client's node is killed once its escrow is funded, and restarted on its data dir: it takes the
      // job up again (its assignment, its records, its escrow from the store) and settles as if never away.
      LoopbackNetwork.waitFor(() -> net.log("client").contains("set up and funded"), SETTLE_WAIT,
          "job " + jobId + "'s escrow to be funded");
      final long anchoredAtKill = net.suite().anchor().head(jobId).send().component2().longValueExact();
      net.kill(clientNode);
      net.restart(clientNode);
      // still running: the client role takes it up again; ended meanwhile: its saved assignment is followed
      LoopbackNetwork.waitFor(() -> net.log("client").contains("taken up again after a restart")
          || net.log("client").contains("ended while this node was away"), SETTLE_WAIT,
          "the restarted client to take job " + jobId + " up again");
      System.out.printf("[xmr-run] network: the client's node was killed after %d of %d blocks were anchored and"
          + " restarted: %s%n", anchoredAtKill, STEPS / 10, net.log("client").contains("taken up again after a restart")
          ? "it took the running job up again" : "the job had ended; it followed the saved assignment");

      // the log first: a CLI run every two seconds would load the machine the nodes run on
      LoopbackNetwork.waitFor(() -> net.log("client").contains(" REFUND paid in "), SETTLE_WAIT,
          "job " + jobId + "'s release and refund");

      // The worker's pay: its anchored payout leaves (TL wei, one cell: the whole pool) at the XMR price.
      final ContractSuite suite = net.suite();
      final long blocks = suite.anchor().head(jobId).send().component2().longValueExact();
      BigInteger leaves = BigInteger.ZERO;
      for (long i = 0; i < blocks; i++) {
        leaves = leaves.add(suite.escrow().blockPayout(jobId, BigInteger.valueOf(i)).send().component1());
      }
      final BigInteger tlPerStep = suite.escrow().getJob(jobId).send().pricePerStep;
      final long pay = leaves.multiply(BigInteger.valueOf(PRICE_PER_STEP)).divide(tlPerStep).longValueExact();
      assertThat(pay).as("some steps paid").isPositive().isLessThanOrEqualTo(STEPS * PRICE_PER_STEP);

      // What tl-cli xmr payouts shows on the worker's and the client's data dirs
      final JsonNode release = payout(net, "w", "5", jobId, "release").orElseThrow();
      final JsonNode toWorker = proofTo(release, workerAddress);
      assertThat(amount(toWorker)).isEqualTo(pay);
      assertThat(amount(proofTo(release, arbiterAddress))).isEqualTo(ARBITER_FEE);
      assertThat(wallets.checkTxProof(toWorker.path("txid").asText(), workerAddress, toWorker.path("message").asText(),
          toWorker.path("signature").asText()).received()).as("the worker's payment proof checks in any wallet")
          .isEqualTo(pay);
      final JsonNode refund = payout(net, "client", "4", jobId, "refund").orElseThrow();
      final long releaseFee = release.path("fee").asLong();
      final long refundFee = refund.path("fee").asLong();
      assertThat(amount(proofTo(refund, clientAddress))).isEqualTo(DEPOSIT - pay - ARBITER_FEE - releaseFee - refundFee);

      RegtestDaemon.mine(daemon, 10, MoneroRegtest.BURN_ADDRESS);
      wallets.openWallet("worker", "");
      wallets.refresh();
      assertThat(wallets.balance().balance()).as("the worker's wallet, to the piconero").isEqualTo(pay);
      for (final String node : List.of("client", "w")) {
        net.log(node).lines().filter(l -> l.contains("XmrJobs") && (l.contains("set up and funded") || l.contains(" paid in ")))
            .forEach(l -> System.out.println("[xmr-timing] " + node + ": " + l.substring(l.indexOf("escrow "))));
      }
      System.out.printf("[xmr-run] network: job %s, %d anchored blocks; release %s paid the worker %d and the arbiter %d"
          + " (fee %d); refund %s paid the client %d (fee %d); worker's proof %s%n", jobId, blocks, release.path("txHashes"),
          pay, ARBITER_FEE, releaseFee, refund.path("txHashes"), amount(proofTo(refund, clientAddress)), refundFee,
          toWorker.path("signature").asText());
    } finally {
      miner.shutdownNow();
    }
  }

  private static String createWallet(final WalletRpc rpc, final String name) {
    rpc.createWallet(name, "");
    return rpc.address();
  }

  /** The payout of {@code kind} that {@code tl-cli xmr payouts} shows on the node's data dir, once there is one. */
  private static Optional<JsonNode> payout(final LoopbackNetwork net, final String node, final String account,
      final BigInteger jobId, final String kind) {
    try {
      final LoopbackNetwork.Result r = net.cli(node, "xmr", "payouts", jobId.toString(), "--genesis-account", account,
          "--json");
      if (r.exit() != 0) {
        assertThat(r.out()).as("before the node's first escrow").contains("no XMR escrow of job");
        return Optional.empty();
      }
      for (final JsonNode p : LoopbackNetwork.JSON.readTree(LoopbackNetwork.ok(r)).path("payouts")) {
        if (p.path("kind").asText().equals(kind)) {
          return Optional.of(p);
        }
      }
      return Optional.empty();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static JsonNode proofTo(final JsonNode payout, final String address) {
    for (final JsonNode p : payout.path("proofs")) {
      if (p.path("address").asText().equals(address)) {
        return p;
      }
    }
    throw new AssertionError(payout.path("kind").asText() + " has no payment to " + address + ": " + payout);
  }

  private static long amount(final JsonNode proof) {
    return Long.parseLong(proof.path("amount").asText());
  }

  private static String[] concat(final String[] head, final String... tail) {
    final String[] all = new String[head.length + tail.length];
    System.arraycopy(head, 0, all, 0, head.length);
    System.arraycopy(tail, 0, all, head.length, tail.length);
    return all;
  }
}
