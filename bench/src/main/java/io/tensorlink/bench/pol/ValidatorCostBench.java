package io.tensorlink.bench.pol;

import io.tensorlink.chain.pol.Assignment;
import io.tensorlink.chain.pol.Bid;
import io.tensorlink.chain.pol.EthAddress;
import io.tensorlink.chain.pol.JobSpec;
import io.tensorlink.chain.pol.PolDomain;
import io.tensorlink.chain.pol.SignedStepRecord;
import io.tensorlink.chain.pol.StepRecord;
import io.tensorlink.chain.pol.VerifyMode;
import io.tensorlink.chain.pol.verify.ArchiveInputSource;
import io.tensorlink.chain.pol.verify.InputSource;
import io.tensorlink.chain.pol.verify.RecordVerdict;
import io.tensorlink.chain.pol.verify.Reexecutor;
import io.tensorlink.chain.pol.verify.ReexecutionPool;
import io.tensorlink.chain.pol.verify.StructuralChecker;
import io.tensorlink.chain.pol.wire.TensorCodec;
import io.tensorlink.chain.pol.work.DatasetCommitment;
import io.tensorlink.chain.pol.work.InputArchive;
import io.tensorlink.chain.pol.work.JobContext;
import io.tensorlink.chain.pol.work.LocalPipeline;
import io.tensorlink.chain.pol.work.RecordKey;
import io.tensorlink.compute.backend.CpuBackend;
import io.tensorlink.compute.data.Dataset;
import io.tensorlink.compute.data.GeneratedData;
import io.tensorlink.compute.nn.Model;
import io.tensorlink.compute.optim.AdamW;
import io.tensorlink.compute.optim.LrSchedule;
import io.tensorlink.compute.spec.ModelFactory;
import io.tensorlink.compute.spec.ModelSpecs;
import java.lang.management.ManagementFactory;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.InvalidAlgorithmParameterException;
import java.security.NoSuchAlgorithmException;
import java.security.NoSuchProviderException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.tuweni.bytes.Bytes32;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Keys;

/**
 * Validator CPU per PoL block against the workers' CPU for the same steps (issue target: at verify
 * rate p the validator spends at most (p + 0.02) × the workers' CPU).
 *
 * <p>One process, process CPU time (not wall time, so other load on a shared machine changes
 * little), single-threaded backends. Workers: {@link LocalPipeline} steps (training, hashing
 * every root, signing). Validator: {@link StructuralChecker} on every record (signature recovery,
 * links, BatchPlan commitments) plus re-execution of every record, inputs passed through the
 * {@code /tl/verify} tensor encoding and decoding, averaged per record; validator CPU at rate p is
 * {@code structural + p × records × reexecution per record} (the expected sample size; a single
 * block's sample is binomial around it).
 *
 * <p>Usage: {@code ValidatorCostBench [modelJson] [stages] [replicas] [batch] [blockSteps] [rates…]}.
 */
public final class ValidatorCostBench {
  private static final int STRUCTURAL_REPEATS = 20;

  private ValidatorCostBench() {}

  public static void main(final String[] args) throws Exception {
    final Path model = Path.of(args.length > 0 ? args[0] : "models/mlp.json");
    final int stages = args.length > 1 ? Integer.parseInt(args[1]) : 2;
    final int replicas = args.length > 2 ? Integer.parseInt(args[2]) : 2;
    final int batch = args.length > 3 ? Integer.parseInt(args[3]) : 64;
    final int blockSteps = args.length > 4 ? Integer.parseInt(args[4]) : 8;
    final double[] rates = args.length > 5 ? java.util.Arrays.stream(args, 5, args.length)
        .mapToDouble(Double::parseDouble).toArray() : new double[] {0.01, 0.05, 0.10, 0.25};

    final Setup setup = setup(model, stages, replicas, batch, blockSteps);
    final JobContext job = setup.job();
    System.out.printf(Locale.ROOT, "model %s, %d stages x %d replicas, batch %d per replica, block of %d steps "
        + "(%d records)%n", model.getFileName(), stages, replicas, batch, blockSteps, blockSteps * stages * replicas);
    try (CpuBackend cpu = CpuBackend.withThreads(1); ReexecutionPool pool = new ReexecutionPool(1, 1)) {
      final LocalPipeline pipeline = new LocalPipeline(job, cpu, setup.keys(), LocalPipeline.HONEST);
      final Map<EthAddress, InputArchive> archives = new HashMap<>();
      job.assignment().workers().forEach(w -> archives.put(w, pipeline.archive(w)));
      final WireRoundTrip wire = new WireRoundTrip(new ArchiveInputSource(archives));
      final StructuralChecker checker = new StructuralChecker(job);
      final Reexecutor reexecutor = new Reexecutor(job, wire, pool, Duration.ofMinutes(5));

      // block 0 warms the JIT; block 1 is measured
      measure(pipeline, checker, reexecutor, job, 0, blockSteps);
      wire.servingNanos.set(0);
      final double[] m = measure(pipeline, checker, reexecutor, job, blockSteps, blockSteps);
      final int records = blockSteps * stages * replicas;
      // serving (encoding) the inputs is the workers' work (not added to their training CPU either)
      final double serving = wire.servingNanos.get() / 1e6;
      final double worker = m[0];
      final double structural = m[1];
      final double perRecord = m[2] - serving / records;
      System.out.printf(Locale.ROOT, "workers' CPU per block: %.1f ms; structural check: %.2f ms (%.2f%% of the "
          + "workers'); re-execution: %.2f ms per record (workers: %.2f ms per record)%n", worker, structural,
          100 * structural / worker, perRecord, worker / records);
      hashingNote(job, replicas);
      System.out.println("p\tvalidator ms/block\tworkers ms/block\tratio\ttarget p+0.02\tmet");
      for (final double p : rates) {
        final double validator = structural + p * records * perRecord;
        final double ratio = validator / worker;
        System.out.printf(Locale.ROOT, "%.2f\t%.1f\t%.1f\t%.4f\t%.4f\t%s%n", p, validator, worker, ratio, p + 0.02,
            ratio <= p + 0.02 ? "yes" : "NO");
      }
    }
  }

  /** A job and its workers' keys (fresh random accounts). */
  private record Setup(JobContext job, Map<EthAddress, Credentials> keys) {}

  /** {workers' ms, structural ms, re-execution ms per record} for the block starting at {@code from}. */
  private static double[] measure(final LocalPipeline pipeline, final StructuralChecker checker,
      final Reexecutor reexecutor, final JobContext job, final long from, final int steps) {
    final long t0 = cpuNanos();
    final List<SignedStepRecord> block = pipeline.runThrough(from + steps - 1);
    final long t1 = cpuNanos();
    // The check takes tens of ms and process CPU time ticks in 10 ms on Linux: repeat it for a precise mean.
    for (int i = 0; i < STRUCTURAL_REPEATS; i++) {
      final var violations = checker.check(from, from + steps, block, Optional.empty());
      if (!violations.isEmpty()) {
        throw new IllegalStateException("honest block failed the structural check: " + violations.get(0));
      }
    }
    final long t2 = cpuNanos();
    final Map<RecordKey, StepRecord> grid = new HashMap<>();
    block.forEach(s -> grid.put(RecordKey.of(s.record()), s.record()));
    for (final SignedStepRecord s : block) {
      final RecordVerdict v = reexecutor.reexecute(s.record(), grid).join();
      if (!v.isValid()) {
        throw new IllegalStateException("honest record failed re-execution: " + v);
      }
    }
    final long t3 = cpuNanos();
    return new double[] {(t1 - t0) / 1e6, (t2 - t1) / 1e6 / STRUCTURAL_REPEATS, (t3 - t2) / 1e6 / block.size()};
  }

  /**
   * Why re-execution costs more than training a record: the validator hashes what it is served
   * (parameters and optimizer state before, the other replicas' gradients) besides what the worker
   * hashes too (own and reduced gradients, parameters and state after). Prints both volumes per
   * record and the hashing throughput of compute's ParamsRoot on this machine.
   */
  private static void hashingNote(final JobContext job, final int replicas) {
    final var all = job.initialParams();
    double params = 0;
    double state = 0;
    for (final var stage : job.stages()) {
      final var p = stage.selectParams(all);
      params += 4.0 * p.elementCount() / job.stages().size();
      state += 4.0 * job.initialState(p).elementCount() / job.stages().size();
    }
    final double validatorBytes = (replicas + 3) * params + 2 * state;
    final double workerBytes = 3 * params + state;
    final long start = cpuNanos();
    int rounds = 0;
    while (cpuNanos() - start < 500_000_000L) {
      io.tensorlink.compute.checkpoint.ParamsRoot.of(all);
      rounds++;
    }
    final double mbPerSecond = rounds * 4.0 * all.elementCount() / ((cpuNanos() - start) / 1e9) / 1e6;
    System.out.printf(Locale.ROOT, "hashing per record: validator %.1f MB, worker %.1f MB; ParamsRoot hashing "
        + "%.0f MB/s of CPU (%.1f ms vs %.1f ms per record)%n", validatorBytes / 1e6, workerBytes / 1e6, mbPerSecond,
        validatorBytes / 1e6 / mbPerSecond * 1e3, workerBytes / 1e6 / mbPerSecond * 1e3);
  }

  private static long cpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
  }

  /**
   * Inputs as the validator receives them over the wire: encoded (by the worker: its CPU is
   * counted in {@link #servingNanos} and taken off the validator's) and strictly decoded.
   */
  private static final class WireRoundTrip implements InputSource {
    private final InputSource inner;
    private final java.util.concurrent.atomic.AtomicLong servingNanos = new java.util.concurrent.atomic.AtomicLong();

    WireRoundTrip(final InputSource inner) {
      this.inner = inner;
    }

    @Override
    public java.util.concurrent.CompletableFuture<io.tensorlink.compute.tensor.NamedTensors> fetch(
        final EthAddress worker, final RecordKey key, final io.tensorlink.chain.pol.work.InputKind kind) {
      return inner.fetch(worker, key, kind).thenApply(t -> {
        final long start = THREADS.getCurrentThreadCpuTime();
        final var bytes = TensorCodec.encode(t);
        servingNanos.addAndGet(THREADS.getCurrentThreadCpuTime() - start);
        return TensorCodec.decode(bytes, Integer.MAX_VALUE);
      });
    }
  }

  private static final java.lang.management.ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private static Setup setup(final Path modelJson, final int stages, final int replicas, final int batch,
      final int blockSteps) throws InvalidAlgorithmParameterException, NoSuchAlgorithmException,
      NoSuchProviderException {
    final Model model = ModelFactory.load(modelJson);
    final int samples = batch * replicas * blockSteps * 2;
    final int[] in = model.inputShape();
    final Dataset data = in.length == 3 ? GeneratedData.images(samples, in[0], in[1], in[2], 10, 0.5f, 7)
        : GeneratedData.blobs(samples, in[0], 10, 3f, 7);
    final DatasetCommitment commitment = DatasetCommitment.of(data);
    final JobSpec spec = new JobSpec(Bytes32.wrap(ModelSpecs.specHash(ModelSpecs.read(modelJson))), commitment.root(),
        samples, AdamW.defaults(), new LrSchedule.Constant(1e-3f), 0f, batch, 11, 2L * blockSteps, false, stages,
        replicas, 50_000, VerifyMode.EXACT, 0, blockSteps, BigInteger.ONE);
    final PolDomain domain = PolDomain.of(7701, EthAddress.of("0x5FbDB2315678afecb367f032d93F642f64180aa3"));
    final Map<EthAddress, Credentials> keys = new HashMap<>();
    final List<Bid> bids = new ArrayList<>();
    for (int i = 0; i < stages * replicas; i++) {
      final Credentials c = Credentials.create(Keys.createEcKeyPair());
      keys.put(EthAddress.of(c.getAddress()), c);
      bids.add(Bid.sign(BigInteger.ONE, BigInteger.ONE, Bid.Backend.CPU, 1, domain, c));
    }
    final Assignment a = Assignment.compute(BigInteger.ONE, stages, replicas, 0, bids, Bytes32.ZERO, 0,
        BigInteger.ONE, false, domain);
    return new Setup(JobContext.of(BigInteger.ONE, spec, model, data, commitment, a, domain), keys);
  }
}
