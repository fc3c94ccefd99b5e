package io.tensorlink.chain.pol.work;

import static org.assertj.core.api.Assertions.assertThat;

import io.tensorlink.chain.pol.SignedStepRecord;
import io.tensorlink.chain.pol.StepRecord;
import io.tensorlink.compute.backend.CpuBackend;
import io.tensorlink.compute.data.Batch;
import io.tensorlink.compute.dist.Stage;
import io.tensorlink.compute.tensor.NamedTensors;
import io.tensorlink.compute.train.HyperParams;
import io.tensorlink.compute.train.TrainingStep;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Records from the real compute engine, 2 stages × 2 replicas of the shipped MLP. */
class LocalPipelineTest {

  @Test
  void recordsCommitToTheSingleProcessRun() {
    final JobContext job = PolFixture.job(2, 2);
    try (CpuBackend cpu = CpuBackend.withThreads(1)) {
      final LocalPipeline pipeline = new LocalPipeline(job, cpu, PolFixture.keys(), LocalPipeline.HONEST);
      final List<SignedStepRecord> records = pipeline.runThrough(2);
      assertThat(records).hasSize(3 * 2 * 2);
      assertThat(records).allMatch(s -> s.signatureValid(job.domain()));

      // one process, shards = replicas, over the same global batch: the same parameters bit for bit
      NamedTensors single = job.initialParams();
      NamedTensors state = job.spec().hyperParams().optimizer().initState(single);
      final HyperParams hp = job.spec().hyperParams();
      final TrainingStep step = new TrainingStep(job.model(), cpu);
      for (long t = 0; t <= 2; t++) {
        final int[] idx0 = job.spec().batchPlan().indicesAtGlobalStep(t, 0);
        final int[] idx1 = job.spec().batchPlan().indicesAtGlobalStep(t, 1);
        final int[] both = new int[idx0.length + idx1.length];
        System.arraycopy(idx0, 0, both, 0, idx0.length);
        System.arraycopy(idx1, 0, both, idx0.length, idx1.length);
        final Batch b = job.dataset().batch(both);
        step.applyInPlace(single, state, b, hp, t);
      }
      for (int s = 0; s < 2; s++) {
        final Stage stage = job.stages().get(s);
        for (int r = 0; r < 2; r++) {
          assertThat(pipeline.params(s, r)).isEqualTo(stage.selectParams(single));
        }
        final StepRecord last = records.get(2 * 4 + s * 2).record();
        assertThat(last.step()).isEqualTo(2);
        assertThat(last.stage()).isEqualTo(s);
        assertThat(last.paramsAfter()).isEqualTo(Links.root(stage.selectParams(single)));
      }

      // links, replica agreement and continuity as the structural check expects them
      for (final SignedStepRecord sr : records) {
        final StepRecord r = sr.record();
        if (r.stage() == 1) {
          final StepRecord prev = find(records, r.step(), 0, r.replica());
          assertThat(r.actIn()).isEqualTo(prev.actOut()).isNotEqualTo(org.apache.tuweni.bytes.Bytes32.ZERO);
          assertThat(r.gradOut()).isEqualTo(prev.gradIn());
          assertThat(r.lossBits()).isNotZero();
        } else {
          assertThat(r.batchCommitment()).isEqualTo(job.data().batchCommitment(r.step(), r.replica(),
              job.spec().batchPlan().indicesAtGlobalStep(r.step(), r.replica())));
        }
        final StepRecord other = find(records, r.step(), r.stage(), 1 - r.replica());
        assertThat(r.reduceRoot()).isEqualTo(other.reduceRoot());
        assertThat(r.paramsAfter()).isEqualTo(other.paramsAfter());
        assertThat(r.gradRoot()).isNotEqualTo(other.gradRoot());
        if (r.step() < 2) {
          assertThat(find(records, r.step() + 1, r.stage(), r.replica()).paramsBefore()).isEqualTo(r.paramsAfter());
        }
      }
      assertThat(pipeline.archive(job.assignment().worker(1, 0))
          .get(new RecordKey(job.jobId(), 1, 1, 0), InputKind.ACT_IN)).isPresent();
    }
  }

  static StepRecord find(final List<SignedStepRecord> records, final long step, final int stage, final int replica) {
    return records.stream().map(SignedStepRecord::record)
        .filter(r -> r.step() == step && r.stage() == stage && r.replica() == replica).findFirst().orElseThrow();
  }
}
