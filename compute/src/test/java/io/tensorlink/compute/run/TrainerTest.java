package io.tensorlink.compute.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tensorlink.compute.backend.CpuBackend;
import io.tensorlink.compute.checkpoint.Checkpoint;
import io.tensorlink.compute.checkpoint.CheckpointFile;
import io.tensorlink.compute.data.BatchPlan;
import io.tensorlink.compute.data.Dataset;
import io.tensorlink.compute.data.GeneratedData;
import io.tensorlink.compute.nn.Model;
import io.tensorlink.compute.optim.LrSchedule;
import io.tensorlink.compute.optim.Optimizer;
import io.tensorlink.compute.spec.ModelFactory;
import io.tensorlink.compute.spec.ModelSpecs;
import io.tensorlink.compute.train.HyperParams;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainerTest {

  static final String TINY = """
      {"name": "tiny", "input": [8], "loss": "cross_entropy", "layers": [
        {"type": "linear", "name": "fc1", "out": 16},
        {"type": "relu", "name": "relu1"},
        {"type": "linear", "name": "fc2", "out": 4}
      ]}""";

  @TempDir Path dir;

  private final Model model = ModelFactory.build(ModelSpecs.parse(TINY));
  private final Dataset data = GeneratedData.blobs(512, 8, 4, 3f, 21);
  private final BatchPlan plan = new BatchPlan(data.size(), 32, 1, 5, true);
  private final Optimizer optimizer = OptimizerChoice.MOMENTUM.create();
  private final HyperParams hp = HyperParams.of(optimizer, new LrSchedule.Constant(0.05f), 5);

  private Checkpoint start() {
    final var params = model.initParams(3);
    return new Checkpoint(0, params, optimizer.initState(params), Map.of("model", "tiny"));
  }

  @Test
  void trainingLowersLossAndLearnsTheBlobs() {
    try (CpuBackend cpu = CpuBackend.withThreads(2)) {
      final Trainer trainer = new Trainer(model, cpu, data, plan, hp);
      final double before = Evaluation.accuracy(model, cpu, start().params(), data, 100);
      final List<Float> losses = new ArrayList<>();
      final Trainer.Result r = trainer.run(start(), 60, p -> losses.add(p.loss()));
      assertThat(losses).hasSize(60);
      assertThat(avg(losses.subList(50, 60))).isLessThan(avg(losses.subList(0, 10)) / 3);
      assertThat(Evaluation.accuracy(model, cpu, r.state().params(), data, 100)).isGreaterThan(0.95).isGreaterThan(before);
      assertThat(r.state().step()).isEqualTo(60);
      assertThat(r.state().metadata()).containsEntry("model", "tiny");
    }
  }

  private static double avg(final List<Float> xs) {
    return xs.stream().mapToDouble(Float::doubleValue).average().orElseThrow();
  }

  @Test
  void resumingFromASavedCheckpointIsBitwiseTheSameAsNotStopping() {
    try (CpuBackend one = CpuBackend.withThreads(1); CpuBackend two = CpuBackend.withThreads(2)) {
      final Checkpoint straight = new Trainer(model, two, data, plan, hp).run(start(), 40, ProgressListener.NONE).state();

      final Checkpoint half = new Trainer(model, one, data, plan, hp).run(start(), 23, ProgressListener.NONE).state();
      final Path file = dir.resolve("half.tlck");
      CheckpointFile.save(half, file);
      final Checkpoint resumed = new Trainer(model, two, data, plan, hp)
          .run(CheckpointFile.load(file), 17, ProgressListener.NONE).state();

      assertThat(resumed.step()).isEqualTo(40);
      assertThat(resumed.params()).isEqualTo(straight.params());
      assertThat(resumed.optimizerState()).isEqualTo(straight.optimizerState());
      assertThat(resumed.paramsRoot()).isEqualTo(straight.paramsRoot());
    }
  }

  @Test
  void runDoesNotModifyItsStartingState() {
    try (CpuBackend cpu = CpuBackend.withThreads(1)) {
      final Checkpoint s = start();
      final var before = s.params().copy();
      new Trainer(model, cpu, data, plan, hp).run(s, 3, ProgressListener.NONE);
      assertThat(s.params()).isEqualTo(before);
    }
  }

  @Test
  void mismatchedDatasetIsNamed() {
    try (CpuBackend cpu = CpuBackend.withThreads(1)) {
      final Dataset wide = GeneratedData.blobs(64, 9, 4, 1f, 1);
      assertThatThrownBy(() -> new Trainer(model, cpu, wide, new BatchPlan(64, 8, 1, 1, true), hp))
          .hasMessageContaining("has samples of shape [9] but the model takes [8]");
      final Dataset many = GeneratedData.blobs(64, 8, 5, 1f, 1);
      assertThatThrownBy(() -> new Trainer(model, cpu, many, new BatchPlan(64, 8, 1, 1, true), hp))
          .hasMessageContaining("has 5 classes but the model predicts only 4");
    }
  }

  @Test
  void divergingLossStopsTheRunWithTheStep() {
    try (CpuBackend cpu = CpuBackend.withThreads(1)) {
      final HyperParams crazy = HyperParams.of(OptimizerChoice.SGD.create(), new LrSchedule.Constant(1e30f), 5);
      assertThatThrownBy(() -> new Trainer(model, cpu, data, plan, crazy).run(start(), 20, ProgressListener.NONE))
          .hasMessageContaining("loss became")
          .hasMessageContaining("at step");
    }
  }
}
