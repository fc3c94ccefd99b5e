package io.tensorlink.chain.job.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tensorlink.chain.pol.SignedStepRecord;
import io.tensorlink.chain.pol.work.JobContext;
import io.tensorlink.chain.pol.work.PolFixture;
import io.tensorlink.compute.checkpoint.Checkpoint;
import io.tensorlink.compute.checkpoint.CheckpointFile;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Workers started from the checkpoints another set of workers wrote (as a standby resumes from
 * the last anchored checkpoint) sign the records of the uninterrupted run from there on.
 */
class ResumeTest {

  @Test
  void resumedWorkersSignTheUninterruptedRunsRecords(@TempDir final Path dir) throws Exception {
    final JobContext job = PolFixture.job(2, 1);
    try (WorkerCluster before = new WorkerCluster(job, i -> options().withCheckpoints(dir, 2))) {
      before.runThrough(1);
    }
    final List<Optional<Checkpoint>> from = List.of(
        Optional.of(CheckpointFile.load(dir.resolve("job-1-s0-r0-step2.tlck"))),
        Optional.of(CheckpointFile.load(dir.resolve("job-1-s1-r0-step2.tlck"))));
    try (WorkerCluster after = new WorkerCluster(job, i -> options(), from::get)) {
      assertThat(after.worker(0, 0).nextStep()).isEqualTo(2);
      after.runThrough(4);
      final List<SignedStepRecord> expected = DistributedPipelineTest.localRecords(job, 4).stream()
          .filter(r -> r.record().step() >= 2).toList();
      assertThat(DistributedPipelineTest.wire(after.records()))
          .containsExactlyElementsOf(DistributedPipelineTest.wire(expected));
    }
    // a checkpoint of the other stage, or one past the job's end, is refused by name
    final Checkpoint stage1 = from.get(1).orElseThrow();
    assertThatThrownBy(() -> new WorkerCluster(job, i -> options(), i -> Optional.of(stage1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cannot resume job 1 stage 0");
    final Checkpoint past = new Checkpoint(job.spec().steps(), stage1.params(), stage1.optimizerState(),
        stage1.metadata());
    assertThatThrownBy(() -> new WorkerCluster(job, i -> options(), i -> i == 1 ? Optional.of(past)
        : from.get(0))).hasMessageContaining("leaves nothing to run");
  }

  private static WorkerOptions options() {
    return WorkerOptions.defaults().withFrameTimeout(Duration.ofSeconds(20));
  }
}
