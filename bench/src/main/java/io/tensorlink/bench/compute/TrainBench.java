package io.tensorlink.bench.compute;

import io.tensorlink.compute.backend.CpuBackend;
import io.tensorlink.compute.data.Batch;
import io.tensorlink.compute.data.Dataset;
import io.tensorlink.compute.data.GeneratedData;
import io.tensorlink.compute.nn.Model;
import io.tensorlink.compute.optim.LrSchedule;
import io.tensorlink.compute.optim.Optimizer;
import io.tensorlink.compute.run.OptimizerChoice;
import io.tensorlink.compute.spec.ModelFactory;
import io.tensorlink.compute.tensor.NamedTensors;
import io.tensorlink.compute.train.HyperParams;
import io.tensorlink.compute.train.TrainingStep;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Training throughput of a model spec on {@link CpuBackend} (determinism on, as always): full
 * steps (forward, loss, backward, gradient root, SGD-momentum update) at batch 128 over
 * pre-generated batches, the same loop bench/compute/torch_train.py times in PyTorch.
 */
final class TrainBench {

  static final int BATCH = 128;
  private static final int DISTINCT_BATCHES = 8;
  private static final double WARMUP_SECONDS = 3.0;
  private static final int REPEATS = 7;
  private static final double ROUND_SECONDS = 1.0;

  private TrainBench() {}

  static void run(final Path modelsDir, final int threads) {
    for (final String name : new String[] {"mlp", "cnn"}) {
      final double sps = samplesPerSecond(ModelFactory.load(modelsDir.resolve(name + ".json")), threads);
      System.out.printf(Locale.ROOT, "train\t%s\t%.1f%n", name, sps);
    }
  }

  static double samplesPerSecond(final Model model, final int threads) {
    final int[] in = model.inputShape();
    final Dataset data = GeneratedData.images(BATCH * DISTINCT_BATCHES, in[0], in[1], in[2], 10, 0.5f, 1);
    final Batch[] batches = new Batch[DISTINCT_BATCHES];
    for (int b = 0; b < DISTINCT_BATCHES; b++) {
      final int[] idx = new int[BATCH];
      for (int i = 0; i < BATCH; i++) {
        idx[i] = b * BATCH + i;
      }
      batches[b] = data.batch(idx);
    }
    final Optimizer sgd = OptimizerChoice.MOMENTUM.create();
    final HyperParams hp = HyperParams.of(sgd, new LrSchedule.Constant(0.01f), 1);
    final NamedTensors params = model.initParams(1);
    final NamedTensors state = sgd.initState(params);
    try (CpuBackend cpu = CpuBackend.withThreads(threads)) {
      final TrainingStep step = new TrainingStep(model, cpu);
      final long[] counter = {0};
      final double sec = Timing.fastestSecondsPerCall(() -> {
        final long s = counter[0]++;
        step.applyInPlace(params, state, batches[(int) (s % DISTINCT_BATCHES)], hp, s);
      }, WARMUP_SECONDS, REPEATS, ROUND_SECONDS);
      return BATCH / sec;
    }
  }
}
