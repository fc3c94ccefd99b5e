package io.tensorlink.chain.validator.pol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tensorlink.chain.pol.Abi;
import io.tensorlink.chain.pol.EthAddress;
import io.tensorlink.chain.pol.PoLHeader;
import io.tensorlink.chain.pol.Sampling;
import io.tensorlink.chain.pol.SignedStepRecord;
import io.tensorlink.chain.pol.StepRecord;
import io.tensorlink.chain.pol.TestKeys;
import io.tensorlink.chain.pol.verify.ArchiveInputSource;
import io.tensorlink.chain.pol.verify.ReexecutionPool;
import io.tensorlink.chain.pol.verify.SampledVerifier;
import io.tensorlink.chain.pol.verify.VerdictCache;
import io.tensorlink.chain.pol.wire.PolCodec;
import io.tensorlink.chain.pol.work.InputArchive;
import io.tensorlink.chain.pol.work.InputKind;
import io.tensorlink.chain.pol.work.JobContext;
import io.tensorlink.chain.pol.work.LocalPipeline;
import io.tensorlink.chain.pol.work.PolFixture;
import io.tensorlink.chain.store.CheckpointKey;
import io.tensorlink.chain.store.NodeStore;
import io.tensorlink.chain.store.RecordKey;
import io.tensorlink.chain.store.StoreBatch;
import io.tensorlink.chain.validator.BlockCandidate;
import io.tensorlink.chain.validator.ChainRandomness;
import io.tensorlink.chain.validator.JobState;
import io.tensorlink.chain.validator.Verdict;
import io.tensorlink.compute.backend.CpuBackend;
import io.tensorlink.compute.tensor.NamedTensors;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.tuweni.bytes.Bytes32;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The production block format and verifier on real 2-stage × 2-replica MLP records (LocalPipeline),
 * stored in a real RocksDB node store, inputs served from the workers' archives.
 */
class PolBlockVerifierTest {
  private static final String ME = TestKeys.address(5).toString().toLowerCase(java.util.Locale.ROOT);
  private static CpuBackend cpu;
  private static ReexecutionPool pool;

  @TempDir Path dir;
  private final List<NodeStore> stores = new java.util.ArrayList<>();

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

  @AfterEach
  void close() {
    stores.forEach(NodeStore::close);
  }

  /** One job's records of steps [0, 8) in the store, its pipeline and a verifier over its archives. */
  private final class Setup {
    final JobContext ctx = PolFixture.job(2, 2);
    final AtomicReference<Optional<io.tensorlink.chain.pol.JobSpec>> spec = new AtomicReference<>(Optional.of(ctx.spec()));
    final JobContexts contexts = new JobContexts(id -> id.equals(ctx.jobId()) ? spec.get() : Optional.empty(),
        h -> Optional.of(ctx.model()), r -> Optional.of(ctx.dataset()), ctx.domain());
    final PolBlockFormat format = new PolBlockFormat(contexts, 500, 100);
    final LocalPipeline pipeline;
    final List<SignedStepRecord> records;
    final PolBlockVerifier verifier;
    final NodeStore store;

    Setup(final LocalPipeline.Fault fault) {
      pipeline = new LocalPipeline(ctx, cpu, PolFixture.keys(), fault);
      records = pipeline.runThrough(7);
      store = NodeStore.open(dir.resolve("store-" + stores.size()));
      stores.add(store);
      final StoreBatch batch = new StoreBatch();
      for (final SignedStepRecord s : records) {
        final StepRecord r = s.record();
        batch.putRecord(new RecordKey(r.jobId(), r.step(), r.stage(), r.replica()), PolCodec.encode(s).toArray());
      }
      store.commit(batch);
      final Map<EthAddress, InputArchive> archives = new HashMap<>();
      ctx.assignment().workers().forEach(w -> archives.put(w, pipeline.archive(w)));
      verifier = new PolBlockVerifier(format, store, new ArchiveInputSource(archives), pool, new VerdictCache(1000),
          Duration.ofSeconds(30));
    }

    JobState job(final long nextIndex, final long nextStep) {
      return new JobState(ctx.jobId(), ctx.spec().specHash().toArray(), JobState.Status.ACTIVE, new byte[32],
          ctx.assignment().workers().stream().map(EthAddress::toString).toList(), nextIndex, nextStep, new byte[32]);
    }

    BlockCandidate build(final long index, final long stepFrom, final Bytes32 randomness) {
      return format.build(job(index, stepFrom), index, new byte[32], stepFrom, store.records(ctx.jobId(), stepFrom, stepFrom + 4),
          new ChainRandomness(77, randomness.toArray())).orElseThrow();
    }

    Verdict verify(final BlockCandidate header, final long nextStep) {
      return verifier.verify(job(header.index(), nextStep), header,
          store.records(ctx.jobId(), header.stepFrom(), header.stepTo()), ME);
    }

    StepRecord at(final long step, final int stage, final int replica) {
      return records.stream().map(SignedStepRecord::record)
          .filter(r -> r.step() == step && r.stage() == stage && r.replica() == replica).findFirst().orElseThrow();
    }
  }

  /** A randomness under which {@code leaf} is (or is not) in ME's mandatory sample. */
  private static Bytes32 randomness(final JobContext ctx, final Bytes32 leaf, final boolean sampled) {
    for (int i = 0; ; i++) {
      final Bytes32 r = Abi.keccak("randomness " + i);
      if (Sampling.mandatory(r, EthAddress.of(ME), leaf, ctx.spec().verifyRatePpm()) == sampled) {
        return r;
      }
    }
  }

  /** Nudges one weight of stage 1 by one ulp after step 2, in both replicas (structurally consistent). */
  private static final LocalPipeline.Fault ONE_ULP = new LocalPipeline.Fault() {
    @Override
    public void afterUpdate(final long step, final int stage, final int replica, final NamedTensors params) {
      if (step == 2 && stage == 1) {
        final float[] w = params.get(0).data();
        w[17] = Math.nextUp(w[17]);
      }
    }
  };

  @Test
  void anHonestBlockIsValidAndListsExactlyTheMandatorySample() {
    final Setup s = new Setup(LocalPipeline.HONEST);
    final BlockCandidate header = s.build(0, 0, Abi.keccak("some block hash"));
    assertThat(header.stepTo()).isEqualTo(4);
    final Verdict v = s.verify(header, 0);
    assertThat(v).isInstanceOf(Verdict.Valid.class);
    final PoLHeader h = PolHeaders.decode(header.encoded());
    final List<Bytes32> expected = SampledVerifier.sample(s.ctx, h, EthAddress.of(ME),
        s.records.stream().filter(r -> r.record().step() < 4).toList()).stream().map(StepRecord::recordHash).toList();
    assertThat(((Verdict.Valid) v).sampled()).extracting(Bytes32::wrap).containsExactlyElementsOf(expected);
    assertThat(expected).as("25% of 16 records").isNotEmpty();
  }

  @Test
  void aOneUlpCheatAtASampledStepIsFraudForTheObligedValidatorOnly() {
    final Setup s = new Setup(ONE_ULP);
    final StepRecord cheat = s.at(2, 1, 0);
    final StepRecord twin = s.at(2, 1, 1);
    final Bytes32 sampling = randomness(s.ctx, cheat.recordHash(), true);
    final Verdict obliged = s.verify(s.build(0, 0, sampling), 0);
    assertThat(obliged).isInstanceOf(Verdict.Fraud.class);
    final Verdict.Fraud f = (Verdict.Fraud) obliged;
    assertThat(f.reason()).startsWith("PARAMS_AFTER_MISMATCH");
    assertThat(f.record().step()).isEqualTo(2);
    assertThat(f.record().stage()).isEqualTo(1);

    // under a randomness that samples neither cheating replica, this validator has nothing to object to
    Bytes32 neither = null;
    for (int i = 0; neither == null; i++) {
      final Bytes32 r = Abi.keccak("other " + i);
      if (!Sampling.mandatory(r, EthAddress.of(ME), cheat.recordHash(), s.ctx.spec().verifyRatePpm())
          && !Sampling.mandatory(r, EthAddress.of(ME), twin.recordHash(), s.ctx.spec().verifyRatePpm())) {
        neither = r;
      }
    }
    assertThat(s.verify(s.build(0, 0, neither), 0)).isInstanceOf(Verdict.Valid.class);

    // as a committee member it re-executes the one record
    final RecordKey key = new RecordKey(cheat.jobId(), 2, 1, 0);
    final JobState job = s.job(0, 0);
    assertThat(s.verifier.isFraud(job, key, s.store.record(key).orElseThrow())).isTrue();
    final RecordKey honest = new RecordKey(cheat.jobId(), 1, 1, 0);
    assertThat(s.verifier.isFraud(job, honest, s.store.record(honest).orElseThrow())).isFalse();
  }

  @Test
  void aWorkerThatDoesNotServeASampledInputFailsItsRecord() {
    final Setup s = new Setup(LocalPipeline.HONEST);
    final StepRecord r = s.at(1, 1, 1);
    s.pipeline.archive(r.worker()).remove(io.tensorlink.chain.pol.work.RecordKey.of(r), InputKind.ACT_IN);
    final Verdict v = s.verify(s.build(0, 0, randomness(s.ctx, r.recordHash(), true)), 0);
    assertThat(v).isInstanceOfSatisfying(Verdict.Fraud.class, f -> {
      assertThat(f.reason()).startsWith("INPUT_UNAVAILABLE");
      assertThat(f.record()).isEqualTo(new RecordKey(r.jobId(), 1, 1, 1));
    });
  }

  @Test
  void headersThatDoNotMatchTheRecordsAreInvalid() {
    final Setup s = new Setup(LocalPipeline.HONEST);
    final PoLHeader good = PolHeaders.decode(s.build(0, 0, Abi.keccak("r")).encoded());
    final PoLHeader payouts = new PoLHeader(good.jobId(), 0, good.parent(), 0, 4, good.stepsRoot(), Abi.keccak("mine"),
        good.checkpointRoot(), good.randomness(), good.randomnessBlock());
    assertThat(s.verify(PolHeaders.candidate(payouts), 0)).isInstanceOfSatisfying(Verdict.Invalid.class,
        i -> assertThat(i.reason()).startsWith("payoutsRoot"));
    final PoLHeader checkpoint = new PoLHeader(good.jobId(), 0, good.parent(), 0, 4, good.stepsRoot(), good.payoutsRoot(),
        Abi.keccak("elsewhere"), good.randomness(), good.randomnessBlock());
    assertThat(s.verify(PolHeaders.candidate(checkpoint), 0)).isInstanceOfSatisfying(Verdict.Invalid.class,
        i -> assertThat(i.reason()).startsWith("checkpointRoot"));
    final PoLHeader shortBlock = new PoLHeader(good.jobId(), 0, good.parent(), 0, 3, good.stepsRoot(), good.payoutsRoot(),
        good.checkpointRoot(), good.randomness(), good.randomnessBlock());
    assertThat(s.verify(PolHeaders.candidate(shortBlock), 0)).isInstanceOfSatisfying(Verdict.Invalid.class,
        i -> assertThat(i.reason()).contains("has 4 steps"));
  }

  @Test
  void theNextBlockMustStartFromTheAnchoredCheckpoint() {
    final Setup s = new Setup(LocalPipeline.HONEST);
    final BlockCandidate first = s.build(0, 0, Abi.keccak("r0"));
    final BlockCandidate second = s.build(1, 4, Abi.keccak("r1"));
    assertThat(s.verify(second, 4)).as("before block 0's checkpoint is anchored").isInstanceOf(Verdict.Incomplete.class);
    s.store.commit(new StoreBatch().putCheckpoint(new CheckpointKey(s.ctx.jobId(), 3),
        PolHeaders.decode(first.encoded()).checkpointRoot().toArray()));
    assertThat(s.verify(second, 4)).isInstanceOf(Verdict.Valid.class);
    s.store.commit(new StoreBatch().putCheckpoint(new CheckpointKey(s.ctx.jobId(), 3), Abi.keccak("forged").toArray()));
    assertThat(s.verify(second, 4)).isInstanceOfSatisfying(Verdict.Invalid.class,
        i -> assertThat(i.reason()).startsWith("START_ROOTS_MISMATCH"));
  }

  @Test
  void withoutItsSpecOrAllItsRecordsAJobWaits() {
    final Setup s = new Setup(LocalPipeline.HONEST);
    final BlockCandidate header = s.build(0, 0, Abi.keccak("r"));
    s.store.commit(new StoreBatch().deleteRecord(new RecordKey(s.ctx.jobId(), 3, 0, 1)));
    assertThat(s.verify(header, 0)).isInstanceOfSatisfying(Verdict.Incomplete.class,
        i -> assertThat(i.missing()).startsWith("1 of the block's records"));
    assertThat(s.format.isComplete(s.job(0, 0), 0, s.store.records(s.ctx.jobId(), 0, 4))).isFalse();

    final Setup unknown = new Setup(LocalPipeline.HONEST);
    unknown.spec.set(Optional.empty());
    assertThat(unknown.verify(header, 0)).isInstanceOf(Verdict.Incomplete.class);
    assertThat(unknown.format.blockSteps(unknown.job(0, 0))).isEqualTo(1);
    assertThatThrownBy(() -> unknown.verifier.isFraud(unknown.job(0, 0), new RecordKey(s.ctx.jobId(), 0, 0, 0), new byte[0]))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("context is not known");
    // the spec arrives later: picked up, not cached as missing
    unknown.spec.set(Optional.of(unknown.ctx.spec()));
    assertThat(unknown.format.blockSteps(unknown.job(0, 0))).isEqualTo(4);
  }

  @Test
  void aSpecNamingAnotherModelThanTheEscrowIsRefused() {
    final Setup s = new Setup(LocalPipeline.HONEST);
    final JobState job = s.job(0, 0);
    final JobState otherModel = new JobState(job.jobId(), Abi.keccak("other model").toArray(), job.status(),
        job.assignmentHash(), job.workers(), 0, 0, job.head());
    assertThat(s.contexts.of(otherModel)).isEmpty();
    final JobState fewerWorkers = new JobState(job.jobId(), job.specHash(), job.status(), job.assignmentHash(),
        job.workers().subList(0, 3), 0, 0, job.head());
    assertThat(s.contexts.of(fewerWorkers)).isEmpty();
    assertThat(s.contexts.of(job)).isPresent();
  }
}
