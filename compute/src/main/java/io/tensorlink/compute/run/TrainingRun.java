package io.tensorlink.compute.run;

import io.tensorlink.compute.backend.Backend;
import io.tensorlink.compute.checkpoint.Checkpoint;
import io.tensorlink.compute.checkpoint.CheckpointFile;
import io.tensorlink.compute.checkpoint.ParamsRoot;
import io.tensorlink.compute.checkpoint.Safetensors;
import io.tensorlink.compute.cuda.Backends;
import io.tensorlink.compute.data.BatchPlan;
import io.tensorlink.compute.data.DatasetSource;
import io.tensorlink.compute.data.Splits;
import io.tensorlink.compute.hash.Keccak;
import io.tensorlink.compute.nn.Model;
import io.tensorlink.compute.nn.ParamSpec;
import io.tensorlink.compute.optim.LrSchedule;
import io.tensorlink.compute.optim.Optimizer;
import io.tensorlink.compute.spec.ModelFactory;
import io.tensorlink.compute.spec.ModelSpecs;
import io.tensorlink.compute.tensor.NamedTensors;
import io.tensorlink.compute.tensor.Tensor;
import io.tensorlink.compute.train.HyperParams;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;

/**
 * A whole standalone run: load the model and data, open the backend, initialize or import
 * parameters, train, evaluate on the test split, save and export. What {@code tl-cli train}
 * calls; it only parses and prints.
 */
public final class TrainingRun {

  private static final int EVAL_BATCH = 500;

  private TrainingRun() {}

  /**
   * @param startStep the step the run started from (0 unless resumed)
   * @param steps steps taken
   * @param testAccuracy accuracy on the test split, when the dataset has one
   * @param paramsRoot {@link ParamsRoot} of the final parameters
   */
  public record Outcome(String backend, long startStep, long steps, float lastLoss, double samplesPerSecond,
      OptionalDouble testAccuracy, byte[] paramsRoot) {

    public String paramsRootHex() {
      return Keccak.hex(paramsRoot);
    }
  }

  public static Outcome execute(final RunSpec spec, final ProgressListener listener) {
    final Model model = ModelFactory.load(spec.model());
    final String specHash = Keccak.hex(ModelSpecs.specHash(ModelSpecs.read(spec.model())));
    final Splits data = DatasetSource.open(spec.dataset(), model.inputShape(), spec.seed());
    final BatchPlan plan = new BatchPlan(data.train().size(), spec.batch(), 1, spec.seed(), spec.shuffle());
    final long steps = spec.steps().orElseGet(() -> spec.epochs().getAsLong() * plan.stepsPerEpoch());
    final Optimizer optimizer = spec.optimizer().create();
    final HyperParams hp = HyperParams.of(optimizer, new LrSchedule.Constant(spec.lr()), spec.seed());

    final Map<String, String> meta = new TreeMap<>();
    meta.put("model", model.name());
    meta.put("specHash", specHash);
    meta.put("optimizer", spec.optimizer().name().toLowerCase(Locale.ROOT));
    meta.put("seed", Long.toString(spec.seed()));
    meta.put("dataset", spec.dataset());
    meta.put("batch", Integer.toString(spec.batch()));
    meta.put("shuffle", Boolean.toString(spec.shuffle()));
    final Checkpoint start = switch (spec.start()) {
      case StartFrom.Seeded s -> fresh(model.initParams(spec.seed()), optimizer, meta);
      case StartFrom.Weights w -> fresh(Safetensors.readMatching(w.safetensors(), template(model)), optimizer, meta);
      case StartFrom.Resume r -> {
        final NamedTensors template = template(model);
        yield Resumption.load(r.checkpoint(), template, optimizer.initState(template), meta);
      }
    };

    try (Backend backend = Backends.select(spec.backend(), spec.threads())) {
      final Trainer.Result r = new Trainer(model, backend, data.train(), plan, hp).run(start, steps, listener);
      final OptionalDouble accuracy = data.test()
          .map(test -> OptionalDouble.of(Evaluation.accuracy(model, backend, r.state().params(), test, EVAL_BATCH)))
          .orElse(OptionalDouble.empty());
      spec.out().ifPresent(file -> CheckpointFile.save(r.state(), file));
      spec.export().ifPresent(file -> Safetensors.write(file, r.state().params(),
          Map.of("format", "pt", "model", model.name(), "specHash", specHash)));
      return new Outcome(backend.name(), start.step(), steps, r.lastLoss(), r.samplesPerSecond(), accuracy,
          ParamsRoot.of(r.state().params()));
    }
  }

  private static Checkpoint fresh(final NamedTensors params, final Optimizer optimizer, final Map<String, String> meta) {
    return new Checkpoint(0, params, optimizer.initState(params), meta);
  }

  /** Zero tensors with the model's parameter names and shapes, for validating imports. */
  static NamedTensors template(final Model model) {
    final NamedTensors.Builder b = NamedTensors.builder();
    for (final ParamSpec p : model.paramSpecs()) {
      b.add(p.name(), Tensor.zeros(p.shape()));
    }
    return b.build();
  }
}
