package io.tensorlink.chain.job.result;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tensorlink.chain.pol.SignedStepRecord;
import io.tensorlink.chain.pol.wire.PolCodec;
import io.tensorlink.chain.pol.work.JobContext;
import io.tensorlink.chain.pol.work.LocalPipeline;
import io.tensorlink.chain.pol.work.PolFixture;
import io.tensorlink.chain.rpc.JobRecords;
import io.tensorlink.chain.store.JobKey;
import io.tensorlink.chain.store.NodeStore;
import io.tensorlink.chain.store.RecordKey;
import io.tensorlink.chain.store.StoreBatch;
import io.tensorlink.chain.validator.JobState;
import io.tensorlink.compute.backend.CpuBackend;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tl_jobRecords} answers from a real RocksDB store holding the engine's signed records. */
class StoredJobRecordsTest {
  @TempDir Path dir;

  @Test
  void answersTheStoredRecordsOfARangeAndNothingForAJobItDoesNotFollow() {
    final JobContext job = PolFixture.job(2, 1);
    final List<SignedStepRecord> signed;
    try (CpuBackend cpu = CpuBackend.withThreads(1)) {
      signed = new LocalPipeline(job, cpu, PolFixture.keys(), LocalPipeline.HONEST).runThrough(2);
    }
    try (NodeStore store = NodeStore.open(dir.resolve("store"))) {
      final StoreBatch batch = new StoreBatch().putJob(new JobKey(job.jobId()),
          JobState.created(job.jobId(), new byte[32]).encode());
      for (final SignedStepRecord s : signed) {
        batch.putRecord(new RecordKey(job.jobId(), s.record().step(), s.record().stage(), s.record().replica()),
            PolCodec.encode(s).toArray());
      }
      store.commit(batch);

      final JobRecords answer = StoredJobRecords.read(store, job.jobId(), 1, 3, 1000).orElseThrow();
      assertThat(answer.stages()).isEqualTo(2);
      assertThat(answer.replicas()).isEqualTo(1);
      assertThat(answer.steps()).isEqualTo(1000);
      assertThat(answer.records()).containsExactlyElementsOf(signed.stream().map(SignedStepRecord::record)
          .filter(r -> r.step() >= 1 && r.step() < 3).map(JobRecords.Entry::of).toList());
      assertThat(answer.records()).filteredOn(e -> e.stage() == 1).allMatch(e -> e.lossBits() != 0);

      assertThat(StoredJobRecords.read(store, job.jobId(), 5, 6, -1).orElseThrow().records()).isEmpty();
      assertThat(StoredJobRecords.read(store, BigInteger.valueOf(99), 0, 3, -1)).isEmpty();
      assertThatThrownBy(() -> StoredJobRecords.read(store, job.jobId(), 0, 10_001, -1))
          .hasMessageContaining("at most 10000 steps");
    }
  }
}
