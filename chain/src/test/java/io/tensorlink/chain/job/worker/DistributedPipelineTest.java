package io.tensorlink.chain.job.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.tensorlink.chain.pol.SignedStepRecord;
import io.tensorlink.chain.pol.wire.PolCodec;
import io.tensorlink.chain.pol.work.JobContext;
import io.tensorlink.chain.pol.work.LocalPipeline;
import io.tensorlink.chain.pol.work.PolFixture;
import io.tensorlink.compute.backend.CpuBackend;
import io.tensorlink.compute.data.Batch;
import io.tensorlink.compute.tensor.NamedTensors;
import io.tensorlink.compute.train.TrainingStep;
import java.util.List;
import org.apache.tuweni.bytes.Bytes;
import org.junit.jupiter.api.Test;

/**
 * S=2 × R=2 of the shipped MLP as four {@link WorkerRuntime}s, each on its own libp2p host on
 * loopback: every signed record equals {@link LocalPipeline}'s byte for byte, and the final
 * parameters are the single-process run's.
 */
class DistributedPipelineTest {
  static final long LAST_STEP = 2;

  @Test
  void fourWorkersOverLibp2pSignLocalPipelinesRecords() throws Exception {
    assertMatchesLocalPipeline(1);
  }

  @Test
  void microBatchedPipelineKeepsTheBits() throws Exception {
    assertMatchesLocalPipeline(2, 3);
  }

  @Test
  void aPipelineWithOneReplicaKeepsTheBits() throws Exception {
    assertMatchesLocalPipeline(1, 2);
  }

  private static void assertMatchesLocalPipeline(final int microBatches) throws Exception {
    assertMatchesLocalPipeline(2, microBatches);
  }

  private static void assertMatchesLocalPipeline(final int replicas, final int microBatches) throws Exception {
    final JobContext job = PolFixture.job(2, replicas);
    final List<SignedStepRecord> expected = localRecords(job, LAST_STEP);
    try (WorkerCluster cluster = new WorkerCluster(job, i -> WorkerOptions.defaults().withMicroBatches(microBatches).withFrameTimeout(java.time.Duration.ofSeconds(20)))) {
      cluster.runThrough(LAST_STEP);
      assertThat(wire(cluster.records())).containsExactlyElementsOf(wire(expected));
      final NamedTensors single = singleProcess(job, LAST_STEP);
      for (int s = 0; s < 2; s++) {
        for (int r = 0; r < replicas; r++) {
          assertThat(cluster.worker(s, r).params()).isEqualTo(job.stages().get(s).selectParams(single));
        }
      }
      assertThat(cluster.endpoints).allSatisfy(e -> assertThat(e.rejections()).isEmpty());
    }
  }

  static List<SignedStepRecord> localRecords(final JobContext job, final long lastStep) {
    try (CpuBackend cpu = CpuBackend.withThreads(1)) {
      return new LocalPipeline(job, cpu, PolFixture.keys(), LocalPipeline.HONEST).runThrough(lastStep);
    }
  }

  static List<Bytes> wire(final List<SignedStepRecord> records) {
    return records.stream().map(PolCodec::encode).toList();
  }

  /** The whole model in one process, shards = replicas, over each step's global batch. */
  static NamedTensors singleProcess(final JobContext job, final long lastStep) {
    try (CpuBackend cpu = CpuBackend.withThreads(2)) {
      final NamedTensors params = job.initialParams();
      final NamedTensors state = job.spec().hyperParams().optimizer().initState(params);
      final TrainingStep step = new TrainingStep(job.model(), cpu);
      final int replicas = job.spec().replicas();
      for (long t = 0; t <= lastStep; t++) {
        final int[] all = new int[job.spec().globalBatch()];
        for (int r = 0; r < replicas; r++) {
          final int[] idx = job.spec().batchPlan().indicesAtGlobalStep(t, r);
          System.arraycopy(idx, 0, all, r * idx.length, idx.length);
        }
        final Batch b = job.dataset().batch(all);
        step.applyInPlace(params, state, b, job.spec().hyperParams(), t);
      }
      return params;
    }
  }
}
