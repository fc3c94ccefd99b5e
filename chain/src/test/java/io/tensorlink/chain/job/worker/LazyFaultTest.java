package io.tensorlink.chain.job.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tensorlink.chain.pol.EthAddress;
import io.tensorlink.chain.pol.SignedStepRecord;
import io.tensorlink.chain.pol.StepRecord;
import io.tensorlink.chain.pol.verify.ArchiveInputSource;
import io.tensorlink.chain.pol.verify.ReexecutionPool;
import io.tensorlink.chain.pol.verify.Reexecutor;
import io.tensorlink.chain.pol.verify.StructuralChecker;
import io.tensorlink.chain.pol.work.InputArchive;
import io.tensorlink.chain.pol.work.JobContext;
import io.tensorlink.chain.pol.work.PolFixture;
import io.tensorlink.chain.pol.work.RecordKey;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class LazyFaultTest {
  private static final long LAST_STEP = 3;

  @Test
  void refusedOutsideADevnet() {
    assertThatThrownBy(() -> LazyFault.parse("lazy:0.05", 1, 7)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--fault").hasMessageContaining("chain id 1")
        .hasMessageContaining("7701, 31337");
    assertThatThrownBy(() -> LazyFault.parse("lazy:0.05", 7702, 7)).hasMessageContaining("chain id 7702");
    assertThat(LazyFault.parse("lazy:0.05", 31_337, 7)).contains(new LazyFault(0.05, 7));
    assertThat(LazyFault.parse("lazy:1", 7_701, 7)).contains(new LazyFault(1, 7));
    assertThat(LazyFault.parse("", 1, 7)).isEmpty();
  }

  @Test
  void malformedValuesAreNamed() {
    assertThatThrownBy(() -> LazyFault.parse("slow:0.1", 31_337, 7)).hasMessageContaining("--fault takes lazy:<fraction>");
    assertThatThrownBy(() -> LazyFault.parse("lazy:x", 31_337, 7)).hasMessageContaining("needs a number");
    assertThatThrownBy(() -> LazyFault.parse("lazy:0", 31_337, 7)).hasMessageContaining("(0, 1]");
    assertThatThrownBy(() -> LazyFault.parse("lazy:1.5", 31_337, 7)).hasMessageContaining("(0, 1]");
  }

  @Test
  void faultedStepsAreAPureFunctionOfSeedAndStep() {
    final LazyFault f = new LazyFault(0.25, 42);
    final long hits = LongStream.range(0, 4000).filter(f::faulted).count();
    assertThat(hits).isBetween(850L, 1150L);
    assertThat(LongStream.range(0, 100).filter(f::faulted).toArray())
        .containsExactly(LongStream.range(0, 100).filter(new LazyFault(0.25, 42)::faulted).toArray());
  }

  @Test
  void lazyWorkersRecordsPassTheStructuralChecksAndFailReexecutionOnItsFaultedStepsOnly() throws Exception {
    final LazyFault fault = mixedFault();
    final Set<Long> faulted = LongStream.rangeClosed(0, LAST_STEP).filter(fault::faulted).boxed()
        .collect(Collectors.toSet());
    final JobContext job = PolFixture.job(2, 1);
    final int lazyCell = 1; // stage 1
    try (WorkerCluster cluster = new WorkerCluster(job, i -> {
      final WorkerOptions o = WorkerOptions.defaults().withFrameTimeout(Duration.ofSeconds(20));
      return i == lazyCell ? o.withFault(fault) : o;
    });
        ReexecutionPool pool = new ReexecutionPool(2, 1)) {
      cluster.runThrough(LAST_STEP);
      final List<SignedStepRecord> got = cluster.records();
      // it carries its made-up parameters on: continuity, links and signatures all hold
      assertThat(new StructuralChecker(job).check(0, LAST_STEP + 1, got, Optional.of(job.initialRoots()))).isEmpty();
      final long firstFault = faulted.stream().min(Long::compare).orElseThrow();
      final List<SignedStepRecord> honest = DistributedPipelineTest.localRecords(job, LAST_STEP);
      final Map<EthAddress, InputArchive> archives = new HashMap<>();
      final Map<RecordKey, StepRecord> grid = new HashMap<>();
      for (int i = 0; i < got.size(); i++) {
        final StepRecord r = got.get(i).record();
        archives.put(r.worker(), cluster.worker(r.stage(), r.replica()).archive());
        grid.put(RecordKey.of(r), r);
        if (r.step() < firstFault) {
          assertThat(got.get(i)).isEqualTo(honest.get(i));
        }
      }
      final Reexecutor reexecutor = new Reexecutor(job, new ArchiveInputSource(archives), pool, Duration.ofSeconds(30));
      for (final SignedStepRecord s : got) {
        final StepRecord r = s.record();
        final boolean lied = r.stage() == 1 && faulted.contains(r.step());
        assertThat(reexecutor.reexecute(r, grid).join().isValid()).as("re-execution of step %d stage %d", r.step(),
            r.stage()).isEqualTo(!lied);
      }
    }
  }

  /** A 50% fault whose steps 0..LAST_STEP are neither all honest nor all faulted. */
  private static LazyFault mixedFault() {
    for (long seed = 1; ; seed++) {
      final LazyFault f = new LazyFault(0.5, seed);
      final long n = LongStream.rangeClosed(0, LAST_STEP).filter(f::faulted).count();
      if (n > 0 && n <= LAST_STEP) {
        return f;
      }
    }
  }
}
