package io.tensorlink.compute.train;

import io.tensorlink.compute.backend.CpuBackend;
import io.tensorlink.compute.checkpoint.ParamsRoot;
import io.tensorlink.compute.nn.Model;
import io.tensorlink.compute.tensor.NamedTensors;

/**
 * Trains each tiny model a few steps and prints one line per model: name and paramsRoot. Run in
 * a child JVM by {@link DeterminismTest} with different vector widths, and in-process with
 * different thread counts and SIMD settings.
 */
public final class DeterminismProbe {
  static final int STEPS = 4;
  static final int BATCH = 8;

  private DeterminismProbe() {}

  public static void main(final String[] args) {
    final int threads = Integer.parseInt(args[0]);
    final boolean simd = Boolean.parseBoolean(args[1]);
    System.out.println("lanes " + CpuBackend.vectorLanes());
    for (final String json : TinyModels.ALL) {
      final Model model = TinyModels.model(json);
      System.out.println(model.name() + " " + ParamsRoot.hex(train(model, threads, simd).params()));
    }
  }

  static StepResult train(final Model model, final int threads, final boolean simd) {
    try (CpuBackend be = new CpuBackend(new CpuBackend.Options(threads, simd))) {
      final TrainingStep step = new TrainingStep(model, be);
      final HyperParams hp = TinyModels.hyperParams(2);
      NamedTensors params = model.initParams(7);
      NamedTensors state = hp.optimizer().initState(params);
      StepResult r = null;
      for (int s = 0; s < STEPS; s++) {
        r = step.applyInPlace(params, state, TinyModels.batch(model, BATCH, s), hp, s);
        params = r.params();
        state = r.optState();
      }
      return r;
    }
  }
}
