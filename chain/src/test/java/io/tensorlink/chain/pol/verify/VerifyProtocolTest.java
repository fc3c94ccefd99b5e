package io.tensorlink.chain.pol.verify;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.tensorlink.chain.pol.EthAddress;
import io.tensorlink.chain.pol.SignedStepRecord;
import io.tensorlink.chain.pol.StepRecord;
import io.tensorlink.chain.pol.work.InputArchive;
import io.tensorlink.chain.pol.work.InputKind;
import io.tensorlink.chain.pol.work.JobContext;
import io.tensorlink.chain.pol.work.LocalPipeline;
import io.tensorlink.chain.pol.work.PolFixture;
import io.tensorlink.chain.pol.work.RecordKey;
import io.tensorlink.compute.backend.CpuBackend;
import io.tensorlink.compute.tensor.NamedTensors;
import io.tensorlink.p2p.host.Host;
import io.tensorlink.p2p.transport.Hosts;
import io.tensorlink.p2p.host.HostConfig;
import io.tensorlink.p2p.host.Stream;
import io.tensorlink.p2p.host.StreamCloseReason;
import io.tensorlink.p2p.multiaddr.Multiaddr;
import io.tensorlink.p2p.protocol.tensor.BulkChannel;
import io.tensorlink.p2p.protocol.tensor.BulkLimits;
import io.tensorlink.p2p.protocol.tensor.BulkMessageListener;
import io.tensorlink.p2p.protocol.tensor.TensorLinkProtocols;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Re-execution with inputs fetched over real libp2p streams on loopback: the workers' node serves
 * {@code /tl/verify/1.0.0} from their archives, the validator's node fetches.
 */
class VerifyProtocolTest {
  private static JobContext job;
  private static LocalPipeline pipeline;
  private static List<SignedStepRecord> records;
  private static Host workers;
  private static Host validator;
  private static ExecutorService serving;
  private static ReexecutionPool pool;
  private static Multiaddr workersAddress;
  /** Lookups the test can sabotage per input. */
  private static final Map<String, NamedTensors> OVERRIDES = new java.util.concurrent.ConcurrentHashMap<>();

  @BeforeAll
  static void start() {
    job = PolFixture.job(2, 2);
    try (CpuBackend cpu = CpuBackend.withThreads(1)) {
      pipeline = new LocalPipeline(job, cpu, PolFixture.keys(), LocalPipeline.HONEST);
      records = pipeline.runThrough(1);
    }
    serving = Executors.newFixedThreadPool(2);
    workers = Hosts.create(HostConfig.loopback());
    VerifyServer.register(workers, (key, kind) -> {
      final NamedTensors o = OVERRIDES.get(key + "/" + kind);
      if (o != null) {
        return o.count() == 0 ? Optional.empty() : Optional.of(o);
      }
      return pipeline.archive(job.assignment().worker(key.stage(), key.replica())).get(key, kind);
    }, serving);
    workers.start().join();
    workersAddress = workers.listenAddresses().get(0).withPeerId(workers.peerId());
    validator = Hosts.create(HostConfig.loopback());
    validator.start().join();
    pool = new ReexecutionPool(1, 1);
  }

  @AfterAll
  static void stop() throws InterruptedException {
    pool.close();
    validator.close();
    workers.close();
    serving.shutdown();
    serving.awaitTermination(10, TimeUnit.SECONDS);
  }

  private static RecordVerdict reexecute(final StepRecord r, final Map<EthAddress, Multiaddr> directory) {
    final P2pInputSource source = new P2pInputSource(validator, w -> Optional.ofNullable(directory.get(w)), 64 << 20,
        Duration.ofSeconds(20), serving);
    final Map<RecordKey, StepRecord> grid = new HashMap<>();
    records.forEach(s -> grid.put(RecordKey.of(s.record()), s.record()));
    return new Reexecutor(job, source, pool, Duration.ofSeconds(30)).reexecute(r, grid).join();
  }

  private static Map<EthAddress, Multiaddr> everyone() {
    final Map<EthAddress, Multiaddr> m = new HashMap<>();
    job.assignment().workers().forEach(w -> m.put(w, workersAddress));
    return m;
  }

  private static StepRecord at(final long step, final int stage, final int replica) {
    return records.stream().map(SignedStepRecord::record)
        .filter(r -> r.step() == step && r.stage() == stage && r.replica() == replica).findFirst().orElseThrow();
  }

  @Test
  void honestRecordsVerifyOverTheNetwork() {
    for (final StepRecord r : List.of(at(1, 0, 0), at(1, 1, 1))) {
      final RecordVerdict v = reexecute(r, everyone());
      assertThat(v.isValid()).as(v.detail()).isTrue();
    }
  }

  @Test
  void refusalUnknownWorkerAndForgedDataAreCaught() {
    final StepRecord first = at(0, 0, 0);
    OVERRIDES.put(RecordKey.of(first) + "/" + InputKind.GRAD_IN, NamedTensors.builder().build());
    try {
      final RecordVerdict refused = reexecute(first, everyone());
      assertThat(refused.reason()).contains(Reason.INPUT_UNAVAILABLE);
      assertThat(refused.detail()).contains("worker refused").contains("no GRAD_IN");
    } finally {
      OVERRIDES.clear();
    }
    final StepRecord r = at(0, 1, 0);
    final Map<EthAddress, Multiaddr> missing = everyone();
    missing.remove(r.worker());
    assertThat(reexecute(r, missing).detail()).contains("no known address for worker");

    final InputArchive archive = pipeline.archive(r.worker());
    final NamedTensors act = archive.get(RecordKey.of(r), InputKind.ACT_IN).orElseThrow().copy();
    act.get(0).data()[3] = Math.nextUp(act.get(0).data()[3]);
    OVERRIDES.put(RecordKey.of(r) + "/" + InputKind.ACT_IN, act);
    try {
      final RecordVerdict forged = reexecute(r, everyone());
      assertThat(forged.reason()).contains(Reason.INPUT_HASH_MISMATCH);
      assertThat(forged.detail()).startsWith("ACT_IN hashes to");
    } finally {
      OVERRIDES.clear();
    }
  }

  @Test
  void malformedRequestIsResetWithoutAnAnswer() throws Exception {
    final Stream stream = validator.dial(workersAddress)
        .thenCompose(c -> c.newStream(TensorLinkProtocols.VERIFY))
        .get(10, TimeUnit.SECONDS);
    final CompletableFuture<String> outcome = new CompletableFuture<>();
    final BulkChannel channel = BulkChannel.attach(
        stream, BulkLimits.DEFAULT,
        new BulkMessageListener() {
          @Override
          public void onStart(final BulkChannel c, final byte[] m) {
            outcome.complete("answered");
          }

          @Override
          public void onChunk(final BulkChannel c, final ByteBuf b) {}

          @Override
          public void onEnd(final BulkChannel c, final long n) {}

          @Override
          public void onFailure(final BulkChannel c, final String reason) {
            outcome.complete("failed");
          }

          @Override
          public void onRemoteClosed(final BulkChannel c) {
            outcome.complete("closed");
          }
        });
    channel.send(new byte[] {(byte) 0xc3, 1, 2}, Unpooled.EMPTY_BUFFER);
    channel.close();
    assertThat(stream.closeFuture().get(10, TimeUnit.SECONDS)).isEqualTo(StreamCloseReason.RESET_REMOTE);
    assertThat(outcome.getNow("no message")).isNotEqualTo("answered");
  }
}
