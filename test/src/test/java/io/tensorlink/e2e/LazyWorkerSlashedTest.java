package io.tensorlink.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tensorlink.chain.job.worker.LazyFault;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.LongStream;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A lazy worker caught in a real network on loopback (every node its own {@code bin/tl-cli node
 * start} process, a real anvil, RocksDB stores): three equal validators, an honest worker, a worker
 * started with {@code --fault lazy:0.2} (on a fifth of its steps it keeps a made-up update and
 * carries it on, so its records chain correctly and only re-execution shows the lie), a client.
 * The client funds a 2-stage MLP job of 6 blocks at verify rate 15%. A validator whose sample holds
 * a faulted record refuses its block, the others (not obliged to check that record) anchor it, the
 * refuser challenges, the committee votes, and the court resolves Fraud: the lazy worker is slashed
 * for a record of one of its faulted steps, nobody else is, the honest worker is paid for every
 * block and the signers claim their fees. Slow (minutes on a loaded 2-core machine): it runs only with {@code TL_E2E_NETWORK=1}.
 */
@EnabledIfEnvironmentVariable(named = "TL_E2E_NETWORK", matches = "1", disabledReason = "the seven-process network"
    + " test takes 10+ minutes on a 2-core machine: set TL_E2E_NETWORK=1 to run it")
class LazyWorkerSlashedTest {
  private static final Duration JOB_WAIT = Duration.ofMinutes(15);
  private static final Duration DISPUTE_WAIT = Duration.ofMinutes(5);
  private static final int STEPS = 60;
  private static final int BLOCK_STEPS = 10;
  private static final double FAULT = 0.2;
  /** The job's seed (job create's default), which the lazy worker's fault takes. */
  private static final long SEED = 1;

  @TempDir Path dir;

  @Test
  void theLazyWorkerIsSlashedForAFaultedRecordAndNobodyElseIs() throws Exception {
    LoopbackNetwork.assumeRunnable();
    final LazyFault fault = new LazyFault(FAULT, SEED);
    assertThat(LongStream.range(0, STEPS).filter(fault::faulted).count()).as("faulted steps to catch").isGreaterThan(5);
    try (LoopbackNetwork net = LoopbackNetwork.start(dir, List.of("1", "2", "3"), List.of("5", "6"), 120)) {
      final String deployments = net.deployments();
      final String boot = net.start("v1", "1", "validator", "--leader-timeout", "20").firstAddress();
      net.start("v2", "2", "validator", "--bootstrap", boot, "--leader-timeout", "20");
      net.start("v3", "3", "validator", "--bootstrap", boot, "--leader-timeout", "20");
      net.start("honest", "5", "worker", "--bootstrap", boot);
      net.start("lazy", "6", "worker", "--bootstrap", boot, "--fault", "lazy:" + FAULT);
      net.start("client", "4", "client", "--bootstrap", boot, "--bid-window", "20", "--samples-per-chunk", "256");
      final String lazyAddress = balance(net, "6").path("account").asText();

      final String jobId = net.json("client", "job", "create", "--model", "mlp", "--dataset", "synthetic:1024", "--steps",
          Integer.toString(STEPS), "--batch", "32", "--stages", "2", "--replicas", "1", "--verify-rate", "0.15",
          "--block-steps", Integer.toString(BLOCK_STEPS), "--budget", "200", "--price-per-step", "1", "--deadline", "2h",
          "--seed", Long.toString(SEED), "--genesis-account", "4", "--deployments", deployments, "--yes", "--json")
          .path("jobId").asText();
      final long blocks = STEPS / BLOCK_STEPS;
      LoopbackNetwork.waitFor(() -> status(net, jobId).path("anchoredBlocks").asLong() >= blocks, JOB_WAIT,
          "job " + jobId + "'s " + blocks + " blocks anchored");

      // Every dispute opened over the job's records has ended (disputes are numbered from 1).
      LoopbackNetwork.waitFor(() -> {
        final List<JsonNode> all = disputes(net);
        return !all.isEmpty() && all.stream().noneMatch(d -> List.of("Drawing", "Voting").contains(d.path("status").asText()));
      }, DISPUTE_WAIT, "the disputes over the lazy worker's records to resolve");
      final List<JsonNode> disputes = disputes(net);
      for (final JsonNode d : disputes) {
        assertThat(d.path("status").asText()).as(d.toString()).isEqualTo("Fraud");
        assertThat(d.path("worker").asText()).isEqualToIgnoringCase(lazyAddress);
        assertThat(fault.faulted(d.path("step").asLong())).as("step %s is one the lazy worker faked", d.path("step"))
            .isTrue();
        assertThat(d.path("sampledSigners")).as("no signer of the block was obliged to check the record").isEmpty();
        assertThat(d.path("fraudVotes").asInt() * 2).isGreaterThan(d.path("committee").size());
      }
      final String refusals = String.join("\n", net.log("v1"), net.log("v2"), net.log("v3")).lines()
          .filter(l -> l.contains(" refuses ") && l.contains("fraud in")).reduce("", (a, b) -> a + b + "\n");
      assertThat(refusals).as("the reason a validator refused").contains("PARAMS_AFTER_MISMATCH");

      // Slashed 10% per fraud verdict; the honest worker and every validator keep their stake.
      final BigDecimal lazyStake = new BigDecimal(balance(net, "6").path("staked").asText());
      assertThat(lazyStake).isEqualByComparingTo(LoopbackNetwork.WORKER_STAKE.multiply(new BigDecimal("0.9").pow(disputes.size())));
      assertThat(new BigDecimal(balance(net, "5").path("staked").asText())).isEqualByComparingTo(LoopbackNetwork.WORKER_STAKE);
      for (final String v : List.of("1", "2", "3")) {
        assertThat(new BigDecimal(balance(net, v).path("staked").asText())).as("validator %s's stake", v)
            .isEqualByComparingTo(LoopbackNetwork.VALIDATOR_STAKE);
      }

      // The honest worker is paid for every block; the lazy one's payouts of the disputed blocks are voided.
      LoopbackNetwork.waitFor(() -> net.log("honest").lines().filter(l -> l.contains("claimed") && l.contains("wei from block"))
          .count() >= blocks, Duration.ofMinutes(3), "the honest worker's " + blocks + " payouts");
      final long disputedBlocks = disputes.stream().mapToLong(d -> d.path("blockIndex").asLong()).distinct().count();
      LoopbackNetwork.waitFor(() -> net.log("lazy").lines().filter(l -> l.contains("voided by a fraud verdict")).count()
          >= disputedBlocks, Duration.ofMinutes(3), "the lazy worker's voided payouts");
      // Every block has at least two signers, and each claims its fee (none was obliged to check a faked record).
      LoopbackNetwork.waitFor(() -> List.of("v1", "v2", "v3").stream().mapToLong(v -> net.log(v).lines()
          .filter(l -> l.contains("claimed a validator fee")).count()).sum() >= 2 * blocks, Duration.ofMinutes(3),
          "the signers' fees of " + blocks + " blocks");
    }
  }

  private static JsonNode status(final LoopbackNetwork net, final String jobId) {
    try {
      return net.json("client", "job", "status", jobId, "--deployments", net.deployments(), "--json");
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static JsonNode balance(final LoopbackNetwork net, final String account) throws Exception {
    return net.json("client", "balance", "--genesis-account", account, "--deployments", net.deployments(), "--json");
  }

  /** Disputes 1, 2, … until the court has no more. */
  private static List<JsonNode> disputes(final LoopbackNetwork net) {
    final List<JsonNode> out = new ArrayList<>();
    try {
      for (int id = 1; ; id++) {
        final LoopbackNetwork.Result r = net.cli("client", "dispute", "status", Integer.toString(id), "--deployments",
            net.deployments(), "--json");
        if (r.exit() != 0) {
          assertThat(r.out().toLowerCase(Locale.ROOT)).as(r.out()).contains("there is no dispute");
          return out;
        }
        out.add(LoopbackNetwork.JSON.readTree(LoopbackNetwork.ok(r)));
      }
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
