package io.tensorlink.bench.compute;

import io.tensorlink.compute.backend.CpuBackend;
import io.tensorlink.compute.data.Batch;
import io.tensorlink.compute.data.GeneratedData;
import io.tensorlink.compute.nn.Embedding;
import io.tensorlink.compute.nn.Model;
import io.tensorlink.compute.optim.LrSchedule;
import io.tensorlink.compute.optim.Optimizer;
import io.tensorlink.compute.run.OptimizerChoice;
import io.tensorlink.compute.tensor.NamedTensors;
import io.tensorlink.compute.tensor.Tensor;
import io.tensorlink.compute.train.HyperParams;
import io.tensorlink.compute.train.TrainingStep;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * Training throughput of one model spec on {@link CpuBackend} (determinism on, as always): full
 * steps (forward, loss, backward, optimizer update) over pre-generated batches, the same loop
 * bench/compute/torch_train.py times in PyTorch. Image models train with SGD momentum 0.9 at lr
 * 0.01 on generated images; token models (an embedding first) with AdamW (β 0.9/0.999, ε 1e-8,
 * weight decay 0.01) at lr 1e-3 on uniformly random token ids and next-token labels.
 */
final class TrainBench {

  private static final int DISTINCT_BATCHES = 8;
  private static final int REPEATS = 7;
  private static final double ROUND_SECONDS = 1.0;

  private TrainBench() {}

  /**
   * A timed model: samples per wall-clock second, per second of process CPU time, and the
   * process's peak resident memory afterwards.
   */
  record Result(double samplesPerSecond, double samplesPerCpuSecond, long peakResidentBytes) {}

  static Result run(final Model model, final int batch, final int threads) {
    final Batch[] batches = new Batch[DISTINCT_BATCHES];
    final boolean tokens = model.layers().get(0) instanceof Embedding;
    for (int b = 0; b < DISTINCT_BATCHES; b++) {
      batches[b] = tokens ? tokenBatch(model, batch, b) : imageBatch(model, batch, b);
    }
    final Optimizer opt = (tokens ? OptimizerChoice.ADAMW : OptimizerChoice.MOMENTUM).create();
    final HyperParams hp = HyperParams.of(opt, new LrSchedule.Constant(tokens ? 1e-3f : 0.01f), 1);
    final NamedTensors params = model.initParams(1);
    final NamedTensors state = opt.initState(params);
    try (CpuBackend cpu = CpuBackend.withThreads(threads)) {
      final TrainingStep step = new TrainingStep(model, cpu);
      final long[] counter = {0};
      final Runnable oneStep = () -> {
        final long s = counter[0]++;
        step.applyInPlace(params, state, batches[(int) (s % DISTINCT_BATCHES)], hp, s);
      };
      // A step of the larger transformer takes seconds: warm up for about three steps' time, and
      // time 3 rounds instead of 7 when one step outlasts a round.
      final long t0 = System.nanoTime();
      oneStep.run();
      final double first = (System.nanoTime() - t0) / 1e9;
      final Timing.PerCall t = Timing.measure(oneStep, Math.max(3.0, 3 * first),
          first > ROUND_SECONDS ? 3 : REPEATS, ROUND_SECONDS);
      return new Result(batch / t.wallSeconds(), batch / t.cpuSeconds(), peakResidentBytes());
    }
  }

  private static Batch imageBatch(final Model model, final int batch, final int b) {
    final int[] in = model.inputShape();
    final int[] idx = new int[batch];
    for (int i = 0; i < batch; i++) {
      idx[i] = i;
    }
    return GeneratedData.images(batch, in[0], in[1], in[2], 10, 0.5f, 1 + b).batch(idx);
  }

  private static Batch tokenBatch(final Model model, final int batch, final int b) {
    final int vocab = ((Embedding) model.layers().get(0)).vocab();
    final int[] out = model.outputShape();
    final int classes = out[out.length - 1];
    final int t = model.inputShape()[0];
    final SplittableRandom rnd = new SplittableRandom(1 + b);
    final float[] ids = new float[batch * t];
    final int[] labels = new int[batch * t];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = rnd.nextInt(vocab);
      labels[i] = rnd.nextInt(classes);
    }
    return new Batch(Tensor.of(ids, batch, t), labels);
  }

  /** VmHWM of this process (Linux), or -1 where /proc is not there. */
  static long peakResidentBytes() {
    final Path status = Path.of("/proc/self/status");
    if (!Files.isReadable(status)) {
      return -1;
    }
    try {
      return Files.readAllLines(status).stream()
          .filter(l -> l.startsWith("VmHWM:"))
          .map(l -> Long.parseLong(l.replaceAll("[^0-9]", "")) * 1024)
          .findFirst().orElse(-1L);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
