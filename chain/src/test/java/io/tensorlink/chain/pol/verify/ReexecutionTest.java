package io.tensorlink.chain.pol.verify;

import static org.assertj.core.api.Assertions.assertThat;

import io.tensorlink.chain.pol.Abi;
import io.tensorlink.chain.pol.EthAddress;
import io.tensorlink.chain.pol.PoLHeader;
import io.tensorlink.chain.pol.Sampling;
import io.tensorlink.chain.pol.SignedStepRecord;
import io.tensorlink.chain.pol.StepRecord;
import io.tensorlink.chain.pol.TestKeys;
import io.tensorlink.chain.pol.VerifyMode;
import io.tensorlink.chain.pol.work.InputArchive;
import io.tensorlink.chain.pol.work.InputKind;
import io.tensorlink.chain.pol.work.JobContext;
import io.tensorlink.chain.pol.work.LocalPipeline;
import io.tensorlink.chain.pol.work.PolFixture;
import io.tensorlink.chain.pol.work.RecordKey;
import io.tensorlink.compute.backend.CpuBackend;
import io.tensorlink.compute.tensor.NamedTensors;
import java.math.BigInteger;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.tuweni.bytes.Bytes32;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Sampled re-execution on real 2-stage × 2-replica MLP blocks, in exact and tolerant mode, with the
 * cheats that only re-execution can catch (structurally consistent lies).
 */
class ReexecutionTest {
  private static final EthAddress VALIDATOR = TestKeys.address(5);
  private static CpuBackend cpu;
  private static ReexecutionPool pool;

  @BeforeAll
  static void start() {
    cpu = CpuBackend.withThreads(1);
    pool = new ReexecutionPool(2, 1);
  }

  @AfterAll
  static void stop() {
    pool.close();
    cpu.close();
  }

  /** A block of steps 0..3 with its pipeline (archives) and a verifier over the archives. */
  private record Block(JobContext job, LocalPipeline pipeline, List<SignedStepRecord> records, Counting source) {
    Map<RecordKey, StepRecord> grid() {
      final Map<RecordKey, StepRecord> g = new HashMap<>();
      records.forEach(s -> g.put(RecordKey.of(s.record()), s.record()));
      return g;
    }

    StepRecord at(final long step, final int stage, final int replica) {
      return grid().get(new RecordKey(job.jobId(), step, stage, replica));
    }

    RecordVerdict reexecute(final StepRecord r) {
      return new Reexecutor(job, source, pool, Duration.ofSeconds(30)).reexecute(r, grid()).join();
    }

    InputArchive archiveOf(final StepRecord r) {
      return pipeline.archive(r.worker());
    }
  }

  /** Counts fetches, to show the verdict cache saves the second re-execution. */
  private static final class Counting implements InputSource {
    private final InputSource inner;
    private final AtomicInteger fetches = new AtomicInteger();

    Counting(final InputSource inner) {
      this.inner = inner;
    }

    @Override
    public CompletableFuture<NamedTensors> fetch(final EthAddress worker, final RecordKey key, final InputKind kind) {
      fetches.incrementAndGet();
      return inner.fetch(worker, key, kind);
    }
  }

  private static Block block(final JobContext job, final LocalPipeline.Fault fault) {
    final LocalPipeline p = new LocalPipeline(job, cpu, PolFixture.keys(), fault);
    final List<SignedStepRecord> records = p.runThrough(3);
    final Map<EthAddress, InputArchive> archives = new HashMap<>();
    job.assignment().workers().forEach(w -> archives.put(w, p.archive(w)));
    assertThat(new StructuralChecker(job).check(0, 4, records, Optional.of(job.initialRoots())))
        .as("these cheats are structurally consistent").isEmpty();
    return new Block(job, p, records, new Counting(new ArchiveInputSource(archives)));
  }

  /** Nudges one weight of stage 1 by one ulp after step 2, in every replica (colluding replicas). */
  private static final LocalPipeline.Fault ONE_ULP = new LocalPipeline.Fault() {
    @Override
    public void afterUpdate(final long step, final int stage, final int replica, final NamedTensors params) {
      if (step == 2 && stage == 1) {
        final float[] w = params.get(0).data();
        w[17] = Math.nextUp(w[17]);
      }
    }
  };

  /** A header whose randomness puts {@code leaf} into VALIDATOR's mandatory sample. */
  private static PoLHeader headerSampling(final JobContext job, final Bytes32 leaf) {
    for (int i = 0; ; i++) {
      final Bytes32 randomness = Abi.keccak("block randomness " + i);
      if (Sampling.mandatory(randomness, VALIDATOR, leaf, job.spec().verifyRatePpm())) {
        return new PoLHeader(job.jobId(), 0, Bytes32.ZERO, 0, 4, Abi.keccak("s"), Abi.keccak("p"), Abi.keccak("c"),
            randomness, 100 + i);
      }
    }
  }

  @Test
  void honestRecordsAreBitwiseEqual() {
    final Block b = block(PolFixture.job(2, 2), LocalPipeline.HONEST);
    for (final SignedStepRecord s : b.records()) {
      final RecordVerdict v = b.reexecute(s.record());
      assertThat(v.isValid()).as("%s: %s", v.at(), v.detail()).isTrue();
      assertThat(v.detail()).isEqualTo("bitwise equal");
    }
  }

  @Test
  void oneUlpInOneWeightAtASampledStepIsCaught() {
    final Block b = block(PolFixture.job(2, 2), ONE_ULP);
    final StepRecord cheat = b.at(2, 1, 0);
    final PoLHeader header = headerSampling(b.job(), cheat.recordHash());
    final VerdictCache cache = new VerdictCache(1000);
    final SampledVerifier verifier = new SampledVerifier(b.job(),
        new Reexecutor(b.job(), b.source(), pool, Duration.ofSeconds(30)), cache);
    final List<RecordVerdict> verdicts = verifier.verify(header, VALIDATOR, b.records()).join();
    assertThat(verdicts).extracting(RecordVerdict::leaf).containsExactlyElementsOf(
        SampledVerifier.sample(b.job(), header, VALIDATOR, b.records()).stream().map(StepRecord::recordHash).toList());
    final RecordVerdict v = verdicts.stream().filter(x -> x.leaf().equals(cheat.recordHash())).findFirst().orElseThrow();
    assertThat(v.reason()).contains(Reason.PARAMS_AFTER_MISMATCH);
    // every other sampled record is honest (step 3 honestly continues from the nudged weights)
    assertThat(verdicts.stream().filter(x -> !x.leaf().equals(cheat.recordHash())
        && !x.leaf().equals(b.at(2, 1, 1).recordHash()))).allMatch(RecordVerdict::isValid);

    // the validator's attestation lists what it re-executed, signed; the cheat is in it as INVALID
    final io.tensorlink.chain.pol.Attestation attestation = io.tensorlink.chain.pol.Attestation.sign(header,
        verdicts.stream().map(RecordVerdict::toSampleVerdict).toList(), b.job().domain(), TestKeys.ANVIL.get(5));
    assertThat(attestation.valid(header, b.job().domain())).isTrue();
    assertThat(attestation.sampled()).contains(new io.tensorlink.chain.pol.Attestation.SampleVerdict(
        cheat.recordHash(), io.tensorlink.chain.pol.Attestation.Verdict.INVALID));

    // the cache answers a second request for the same block without fetching anything
    final int fetched = b.source().fetches.get();
    assertThat(verifier.verify(header, VALIDATOR, b.records()).join()).isEqualTo(verdicts);
    assertThat(b.source().fetches.get()).isEqualTo(fetched);
    assertThat(cache.size()).isEqualTo(verdicts.size());
  }

  @Test
  void workerRefusingASampledInputFailsTheRecord() {
    final Block b = block(PolFixture.job(2, 2), LocalPipeline.HONEST);
    final StepRecord r = b.at(1, 1, 0);
    b.archiveOf(r).remove(RecordKey.of(r), InputKind.ACT_IN);
    final RecordVerdict v = b.reexecute(r);
    assertThat(v.reason()).contains(Reason.INPUT_UNAVAILABLE);
    assertThat(v.detail()).contains("did not serve ACT_IN");
    // a replica that withholds its local gradients fails the records whose reduceRoot needs them
    final StepRecord r2 = b.at(3, 0, 0);
    b.pipeline().archive(b.at(3, 0, 1).worker()).remove(RecordKey.of(b.at(3, 0, 1)), InputKind.LOCAL_GRADS);
    assertThat(b.reexecute(r2).reason()).contains(Reason.INPUT_UNAVAILABLE);
  }

  @Test
  void servedInputsMustHashToTheRecord() {
    final Block b = block(PolFixture.job(2, 2), LocalPipeline.HONEST);
    final StepRecord r = b.at(1, 0, 1);
    final NamedTensors params = b.archiveOf(r).get(RecordKey.of(r), InputKind.PARAMS_BEFORE).orElseThrow().copy();
    params.get(1).data()[0] += 1f;
    b.archiveOf(r).put(RecordKey.of(r), InputKind.PARAMS_BEFORE, params);
    final RecordVerdict v = b.reexecute(r);
    assertThat(v.reason()).contains(Reason.INPUT_HASH_MISMATCH);
    assertThat(v.detail()).startsWith("PARAMS_BEFORE hashes to");
  }

  @Test
  void tolerantModeAcceptsSmallDeviationsAndRejectsLargeOnes() {
    final JobContext tolerant = PolFixture.job(BigInteger.ONE, 2, 1, 250_000, VerifyMode.TOLERANT, 1000);
    final Block ulp = block(tolerant, ONE_ULP);
    final RecordVerdict small = ulp.reexecute(ulp.at(2, 1, 0));
    assertThat(small.isValid()).as(small.detail()).isTrue();
    assertThat(small.detail()).startsWith("update within delta");
    final Block honest = block(PolFixture.job(BigInteger.ONE, 2, 1, 250_000, VerifyMode.TOLERANT, 1000),
        LocalPipeline.HONEST);
    assertThat(honest.reexecute(honest.at(1, 0, 0)).detail()).isEqualTo("update within delta (relative L2 0.0)");
    final Block big = block(tolerant, new LocalPipeline.Fault() {
      @Override
      public void afterUpdate(final long step, final int stage, final int replica, final NamedTensors params) {
        if (step == 2 && stage == 1) {
          // an update 1% off in one whole tensor: far outside delta = 0.1%
          final float[] w = params.get(0).data();
          for (int i = 0; i < w.length; i++) {
            w[i] *= 1.01f;
          }
        }
      }
    });
    final RecordVerdict v = big.reexecute(big.at(2, 1, 0));
    assertThat(v.reason()).contains(Reason.UPDATE_OUT_OF_TOLERANCE);
    // the same one-ulp cheat in exact mode is rejected
    final Block exact = block(PolFixture.job(2, 1), ONE_ULP);
    assertThat(exact.reexecute(exact.at(2, 1, 0)).reason()).contains(Reason.PARAMS_AFTER_MISMATCH);
  }

  @Test
  void theSampleIsReproducibleByAThirdParty() {
    final Block b = block(PolFixture.job(2, 2), LocalPipeline.HONEST);
    final PoLHeader h = headerSampling(b.job(), b.at(0, 0, 0).recordHash());
    final List<StepRecord> sample = SampledVerifier.sample(b.job(), h, VALIDATOR, b.records());
    // recomputed from the public inputs only: keccak256(randomness ‖ validator ‖ leaf) mod 1e6 < rate
    final List<StepRecord> third = b.records().stream().map(SignedStepRecord::record).filter(r -> {
      final byte[] packed = new byte[84];
      System.arraycopy(h.randomness().toArrayUnsafe(), 0, packed, 0, 32);
      System.arraycopy(VALIDATOR.toArray(), 0, packed, 32, 20);
      System.arraycopy(r.recordHash().toArrayUnsafe(), 0, packed, 52, 32);
      return new BigInteger(1, org.web3j.crypto.Hash.sha3(packed)).mod(BigInteger.valueOf(1_000_000))
          .compareTo(BigInteger.valueOf(b.job().spec().verifyRatePpm())) < 0;
    }).toList();
    assertThat(sample).isEqualTo(third).contains(b.at(0, 0, 0));
    assertThat(SampledVerifier.sample(b.job(), h, TestKeys.address(4), b.records())).isNotEqualTo(sample);
  }

  @Test
  void poolNeverRunsMoreThanItsBudget() throws Exception {
    final AtomicInteger running = new AtomicInteger();
    final AtomicInteger peak = new AtomicInteger();
    try (ReexecutionPool one = new ReexecutionPool(1, 1)) {
      final List<CompletableFuture<Integer>> tasks = new java.util.ArrayList<>();
      for (int i = 0; i < 6; i++) {
        tasks.add(one.submit(backend -> {
          peak.accumulateAndGet(running.incrementAndGet(), Math::max);
          try {
            Thread.sleep(20);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return running.decrementAndGet();
        }));
      }
      CompletableFuture.allOf(tasks.toArray(CompletableFuture[]::new)).get();
    }
    assertThat(peak.get()).isEqualTo(1);
  }
}
