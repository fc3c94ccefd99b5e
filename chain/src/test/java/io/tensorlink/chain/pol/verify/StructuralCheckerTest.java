package io.tensorlink.chain.pol.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tensorlink.chain.pol.Abi;
import io.tensorlink.chain.pol.SignedStepRecord;
import io.tensorlink.chain.pol.StepRecord;
import io.tensorlink.chain.pol.TestKeys;
import io.tensorlink.chain.pol.VerifyMode;
import io.tensorlink.chain.pol.work.JobContext;
import io.tensorlink.chain.pol.work.LocalPipeline;
import io.tensorlink.chain.pol.work.PolFixture;
import io.tensorlink.compute.backend.CpuBackend;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.tuweni.bytes.Bytes32;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Each structural failure on its own, on a real 2-stage × 2-replica block of the MLP. */
class StructuralCheckerTest {
  private static JobContext job;
  private static List<SignedStepRecord> block;
  private static List<SignedStepRecord> otherJob;
  private static List<SignedStepRecord> offPlan;
  private static StructuralChecker checker;

  @BeforeAll
  static void produce() {
    job = PolFixture.job(2, 2);
    final JobContext job2 = PolFixture.job(BigInteger.TWO, 2, 2, 250_000, VerifyMode.EXACT, 0);
    try (CpuBackend cpu = CpuBackend.withThreads(1)) {
      block = new LocalPipeline(job, cpu, PolFixture.keys(), LocalPipeline.HONEST).runThrough(3);
      otherJob = new LocalPipeline(job2, cpu, PolFixture.keys(), LocalPipeline.HONEST).runThrough(0);
      offPlan = new LocalPipeline(job, cpu, PolFixture.keys(), new LocalPipeline.Fault() {
        @Override
        public int[] indices(final long step, final int replica, final int[] planned) {
          // replica 1 trains step 0 on the next samples instead of the planned ones
          return replica == 1 ? shift(planned) : planned;
        }
      }).runThrough(0);
    }
    checker = new StructuralChecker(job);
  }

  private static int[] shift(final int[] planned) {
    final int[] out = planned.clone();
    out[0] = (out[0] + 1) % 256;
    return out;
  }

  private static List<Violation> check(final List<SignedStepRecord> records) {
    return checker.check(0, 4, records, Optional.of(job.initialRoots()));
  }

  /** The block with the record at (step, stage, replica) replaced. */
  private static List<SignedStepRecord> replace(final long step, final int stage, final int replica,
      final SignedStepRecord with) {
    final List<SignedStepRecord> out = new ArrayList<>(block);
    out.replaceAll(s -> at(s, step, stage, replica) ? with : s);
    return out;
  }

  private static boolean at(final SignedStepRecord s, final long step, final int stage, final int replica) {
    return s.record().step() == step && s.record().stage() == stage && s.record().replica() == replica;
  }

  static StepRecord rec(final long step, final int stage, final int replica) {
    return block.stream().filter(s -> at(s, step, stage, replica)).findFirst().orElseThrow().record();
  }

  private static List<Reason> reasons(final List<Violation> v) {
    return v.stream().map(Violation::reason).distinct().toList();
  }

  @Test
  void honestBlockPasses() {
    assertThat(check(block)).isEmpty();
  }

  @Test
  void signatureByAnotherKey() {
    final StepRecord r = rec(1, 0, 0);
    final SignedStepRecord forged = SignedStepRecord.sign(Tamper.with(r, "worker", TestKeys.address(5)),
        TestKeys.DOMAIN, TestKeys.ANVIL.get(5));
    final SignedStepRecord wrongKey = new SignedStepRecord(r, forged.signature());
    final List<Violation> v = check(replace(1, 0, 0, wrongKey));
    assertThat(reasons(v)).containsExactly(Reason.SIGNATURE_INVALID, Reason.MISSING_RECORD);
    assertThat(v.get(0).leaf()).contains(r.recordHash());
    // a caller that verified every signature on arrival skips the recovery (and nothing else)
    assertThat(new StructuralChecker(job, StructuralChecker.Signatures.ALREADY_VERIFIED)
        .check(0, 4, replace(1, 0, 0, wrongKey), Optional.of(job.initialRoots()))).isEmpty();
  }

  @Test
  void recordReplayedFromAnotherJob() {
    final SignedStepRecord replayed = otherJob.stream().filter(s -> at(s, 0, 1, 0)).findFirst().orElseThrow();
    assertThat(replayed.signatureValid(job.domain())).as("validly signed, only for job 2").isTrue();
    final List<Violation> v = check(replace(0, 1, 0, replayed));
    assertThat(reasons(v)).containsExactly(Reason.WRONG_JOB, Reason.MISSING_RECORD);
    assertThat(v.get(0).message()).contains("record is for job 2");
  }

  @Test
  void recordReplayedFromAnotherWorker() {
    // replica 1's worker re-signs replica 0's record as its own, to be paid for replica 0's cell too
    final StepRecord r = rec(2, 1, 0);
    final SignedStepRecord copied = SignedStepRecord.sign(Tamper.with(r, "worker", job.assignment().worker(1, 1)),
        TestKeys.DOMAIN, Tamper.key(job.assignment().worker(1, 1)));
    final List<Violation> v = check(replace(2, 1, 0, copied));
    assertThat(reasons(v)).containsExactly(Reason.WORKER_NOT_ASSIGNED, Reason.MISSING_RECORD);
    assertThat(v.get(0).message()).contains("is not assigned");
  }

  @Test
  void stepOutsideTheBlockAndWrongTopology() {
    final List<SignedStepRecord> records = new ArrayList<>(block);
    records.add(Tamper.signedWith(rec(3, 0, 0), "step", 4L));
    records.add(Tamper.signedWith(rec(3, 0, 1), "stages", 3));
    assertThat(reasons(check(records))).containsExactlyInAnyOrder(Reason.STEP_OUT_OF_RANGE, Reason.WRONG_TOPOLOGY);
  }

  @Test
  void duplicatesAndEquivocation() {
    final List<SignedStepRecord> twice = new ArrayList<>(block);
    twice.add(block.get(5));
    assertThat(reasons(check(twice))).containsExactly(Reason.DUPLICATE_RECORD);
    final List<SignedStepRecord> conflicting = new ArrayList<>(block);
    conflicting.add(Tamper.signedWith(rec(1, 1, 1), "lossBits", 12345L));
    assertThat(reasons(check(conflicting))).containsExactly(Reason.DUPLICATE_RECORD);
  }

  @Test
  void missingRecord() {
    final List<SignedStepRecord> records = new ArrayList<>(block);
    records.removeIf(s -> at(s, 2, 1, 1));
    final List<Violation> v = check(records);
    assertThat(reasons(v)).containsExactly(Reason.MISSING_RECORD);
    assertThat(v.get(0).at().step()).isEqualTo(2);
    assertThat(v.get(0).leaf()).isEmpty();
  }

  @Test
  void unusedFieldsMustBeZero() {
    final List<Violation> v = check(replace(1, 1, 0, Tamper.signedWith(rec(1, 1, 0), "actOut", Abi.keccak("x"))));
    assertThat(reasons(v)).containsExactly(Reason.UNUSED_FIELD_NOT_ZERO, Reason.MISSING_RECORD);
    assertThat(v.get(0).message()).contains("[actOut]");
    assertThat(reasons(check(replace(1, 0, 0, Tamper.signedWith(rec(1, 0, 0), "lossBits", 1L)))))
        .contains(Reason.UNUSED_FIELD_NOT_ZERO);
  }

  @Test
  void batchNotTheBatchPlans() {
    final List<SignedStepRecord> records = new ArrayList<>(block);
    records.removeIf(s -> s.record().step() == 0);
    records.addAll(offPlan);
    final List<Violation> v = check(records);
    // replica 1 trained other samples: its batch commitment is off the plan, and since the replicas'
    // gradients were reduced honestly its mistake also moved every root: the discontinuity is reported
    assertThat(reasons(v)).contains(Reason.BATCH_NOT_PLANNED);
    assertThat(v.stream().filter(x -> x.reason() == Reason.BATCH_NOT_PLANNED).toList())
        .singleElement().satisfies(x -> assertThat(x.at().replica()).isEqualTo(1));
  }

  @Test
  void linksMustMatchTheNeighbourStage() {
    final List<Violation> act = check(replace(2, 1, 1, Tamper.signedWith(rec(2, 1, 1), "actIn", Abi.keccak("a"))));
    assertThat(reasons(act)).containsExactly(Reason.ACTIVATION_LINK_MISMATCH);
    final List<Violation> grad = check(replace(2, 0, 1, Tamper.signedWith(rec(2, 0, 1), "gradIn", Abi.keccak("g"))));
    assertThat(reasons(grad)).containsExactly(Reason.GRADIENT_LINK_MISMATCH);
    assertThat(grad.get(0).at().stage()).isEqualTo(1);
  }

  @Test
  void replicasMustAgree() {
    final List<Violation> v = check(replace(1, 0, 1, Tamper.signedWith(rec(1, 0, 1), "reduceRoot", Abi.keccak("r"))));
    assertThat(reasons(v)).containsExactly(Reason.REPLICAS_DISAGREE);
    assertThat(v.get(0).message()).startsWith("reduceRoot");
  }

  @Test
  void rootsMustChainAcrossSteps() {
    // both replicas of stage 1 claim other roots before step 2 (so they still agree with each other)
    final Bytes32 fake = Abi.keccak("p");
    final List<SignedStepRecord> records = new ArrayList<>(replace(2, 1, 0,
        Tamper.signedWith(rec(2, 1, 0), "paramsBefore", fake)));
    records.replaceAll(s -> at(s, 2, 1, 1) ? Tamper.signedWith(rec(2, 1, 1), "paramsBefore", fake) : s);
    final List<Violation> v = check(records);
    assertThat(reasons(v)).containsExactly(Reason.ROOTS_DISCONTINUOUS);
    assertThat(v).hasSize(2);
  }

  @Test
  void firstStepMustStartFromTheCheckpoint() {
    final List<Bytes32[]> other = new ArrayList<>(job.initialRoots());
    other.set(1, new Bytes32[] {Abi.keccak("x"), other.get(1)[1]});
    final List<Violation> v = checker.check(0, 4, block, Optional.of(other));
    assertThat(reasons(v)).containsExactly(Reason.START_ROOTS_MISMATCH);
    assertThat(v).hasSize(2).allMatch(x -> x.at().stage() == 1 && x.at().step() == 0);
  }

  @Test
  void rangeLongerThanABlockIsRefused() {
    assertThatThrownBy(() -> checker.check(0, 5, block, Optional.empty())).hasMessageContaining("is not 1..4 steps");
  }
}
