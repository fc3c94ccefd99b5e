package io.tensorlink.compute.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.tensorlink.compute.backend.CpuBackend;
import io.tensorlink.compute.data.Batch;
import io.tensorlink.compute.loss.Targets;
import io.tensorlink.compute.nn.Model;
import io.tensorlink.compute.nn.Pass;
import io.tensorlink.compute.optim.AdamW;
import io.tensorlink.compute.optim.LrSchedule;
import io.tensorlink.compute.optim.Optimizer;
import io.tensorlink.compute.optim.Sgd;
import io.tensorlink.compute.tensor.NamedTensors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Training on generated, learnable data lowers the held-out loss for every family and optimizer. */
class TrainingReducesLossTest {

  @ParameterizedTest(name = "{0} with {1}")
  @CsvSource({"MLP, adamw", "MLP, nesterov", "CNN, adamw", "CNN, momentum", "GPT, adamw"})
  void heldOutLossFalls(final String family, final String opt) {
    final Model model = TinyModels.model(switch (family) {
      case "MLP" -> TinyModels.MLP;
      case "CNN" -> TinyModels.CNN;
      default -> TinyModels.GPT;
    });
    final Optimizer optimizer = switch (opt) {
      case "adamw" -> new AdamW(0.9f, 0.999f, 1e-8f, 0.0f);
      case "nesterov" -> new Sgd(0.9f, true, 1e-4f);
      default -> new Sgd(0.9f, false, 0f);
    };
    final float lr = optimizer instanceof AdamW ? 0.01f : 0.05f;
    final HyperParams hp = new HyperParams(optimizer, new LrSchedule.WarmupCosine(lr, 5, 60, lr / 10), 5f, 1, 1);
    try (CpuBackend be = CpuBackend.withThreads(2)) {
      final TrainingStep step = new TrainingStep(model, be);
      NamedTensors params = model.initParams(11);
      NamedTensors state = optimizer.initState(params);
      final Batch heldOut = TinyModels.batch(model, 64, 12345);
      final double before = evalLoss(model, be, params, heldOut);
      for (int s = 0; s < 60; s++) {
        final StepResult r = step.applyInPlace(params, state, TinyModels.batch(model, 32, s), hp, s);
        assertThat(r.loss()).isFinite();
        params = r.params();
        state = r.optState();
      }
      final double after = evalLoss(model, be, params, heldOut);
      assertThat(after).as("held-out loss before %s, after %s", before, after).isLessThan(0.6 * before);
    }
  }

  private static double evalLoss(final Model model, final CpuBackend be, final NamedTensors params, final Batch b) {
    final var out = model.forward(Pass.inference(be, params), b.inputs());
    final double units = (double) b.size() * model.loss().unitsPerSample(model.outputShape());
    return model.loss().forwardBackward(out, Targets.labels(b.labels()), units, null) / units;
  }
}
