package io.tensorlink.compute.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tensorlink.compute.checkpoint.Checkpoint;
import io.tensorlink.compute.checkpoint.CheckpointFile;
import io.tensorlink.compute.checkpoint.ParamsRoot;
import io.tensorlink.compute.checkpoint.Safetensors;
import io.tensorlink.compute.cuda.BackendKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingRunTest {

  @TempDir Path dir;

  private RunSpec spec(final Path model, final OptionalLong steps, final StartFrom start, final String suffix) {
    return new RunSpec(model, "synthetic:400", steps, OptionalLong.empty(), 20, 0.05f, OptimizerChoice.ADAMW, 2, 9,
        BackendKind.CPU, start, true, Optional.of(dir.resolve("ckpt" + suffix)), Optional.of(dir.resolve("w" + suffix)));
  }

  @Test
  void runSavesExportsAndReportsTheParamsRoot() throws IOException {
    final Path model = Files.writeString(dir.resolve("tiny.json"), TrainerTest.TINY.replace("\"out\": 4", "\"out\": 10"));
    final List<ProgressListener.Progress> seen = new ArrayList<>();
    final TrainingRun.Outcome o = TrainingRun.execute(spec(model, OptionalLong.of(12), new StartFrom.Seeded(), "1"), seen::add);

    assertThat(o.backend()).isEqualTo("cpu");
    assertThat(seen).extracting(ProgressListener.Progress::step).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L, 12L);
    assertThat(o.testAccuracy()).isPresent();
    assertThat(o.testAccuracy().getAsDouble()).isBetween(0.0, 1.0);
    final Checkpoint saved = CheckpointFile.load(dir.resolve("ckpt1"));
    assertThat(saved.step()).isEqualTo(12);
    assertThat(saved.metadata()).containsEntry("model", "tiny").containsEntry("optimizer", "adamw").containsKey("specHash");
    assertThat(saved.paramsRoot()).isEqualTo(o.paramsRoot());
    assertThat(o.paramsRootHex()).isEqualTo(ParamsRoot.hex(saved.params()));
    assertThat(Safetensors.read(dir.resolve("w1")).tensors()).isEqualTo(saved.params());

    // Importing the export and taking zero steps reproduces the same root.
    final TrainingRun.Outcome again = TrainingRun.execute(
        spec(model, OptionalLong.of(0), new StartFrom.Weights(dir.resolve("w1")), "2"), ProgressListener.NONE);
    assertThat(again.paramsRoot()).isEqualTo(o.paramsRoot());
  }

  @Test
  void importOfAnotherModelsWeightsNamesTheTensor() throws IOException {
    final Path model = Files.writeString(dir.resolve("tiny.json"), TrainerTest.TINY.replace("\"out\": 4", "\"out\": 10"));
    final Path wider = Files.writeString(dir.resolve("wider.json"),
        TrainerTest.TINY.replace("\"out\": 4", "\"out\": 10").replace("\"out\": 16", "\"out\": 17"));
    TrainingRun.execute(spec(wider, OptionalLong.of(1), new StartFrom.Seeded(), "w"), ProgressListener.NONE);
    assertThatThrownBy(() -> TrainingRun.execute(spec(model, OptionalLong.of(1), new StartFrom.Weights(dir.resolve("ww")), "x"),
        ProgressListener.NONE))
        .hasMessageContaining("tensor 'fc1.weight' has shape");
  }

  @Test
  void resumingFromACheckpointContinuesBitForBit() throws IOException {
    final Path model = Files.writeString(dir.resolve("tiny.json"), TrainerTest.TINY.replace("\"out\": 4", "\"out\": 10"));
    final TrainingRun.Outcome straight = TrainingRun.execute(spec(model, OptionalLong.of(7), new StartFrom.Seeded(), "s"),
        ProgressListener.NONE);
    TrainingRun.execute(spec(model, OptionalLong.of(3), new StartFrom.Seeded(), "a"), ProgressListener.NONE);
    final TrainingRun.Outcome resumed = TrainingRun.execute(
        spec(model, OptionalLong.of(4), new StartFrom.Resume(dir.resolve("ckpta")), "b"), ProgressListener.NONE);

    assertThat(resumed.startStep()).isEqualTo(3);
    assertThat(resumed.steps()).isEqualTo(4);
    assertThat(resumed.paramsRoot()).isEqualTo(straight.paramsRoot());
    final Checkpoint a = CheckpointFile.load(dir.resolve("ckpts"));
    final Checkpoint b = CheckpointFile.load(dir.resolve("ckptb"));
    assertThat(b.step()).isEqualTo(7);
    assertThat(b.optimizerState()).isEqualTo(a.optimizerState());
    assertThat(b.metadata()).isEqualTo(a.metadata());
  }

  @Test
  void resumeRefusesACheckpointOfAnotherRunNamingTheSetting() throws IOException {
    final Path model = Files.writeString(dir.resolve("tiny.json"), TrainerTest.TINY.replace("\"out\": 4", "\"out\": 10"));
    TrainingRun.execute(spec(model, OptionalLong.of(2), new StartFrom.Seeded(), "a"), ProgressListener.NONE);
    final Path saved = dir.resolve("ckpta");
    final RunSpec same = spec(model, OptionalLong.of(1), new StartFrom.Resume(saved), "b");

    final RunSpec otherOptimizer = new RunSpec(model, same.dataset(), same.steps(), same.epochs(), same.batch(), same.lr(),
        OptimizerChoice.MOMENTUM, 2, same.seed(), BackendKind.CPU, same.start(), true, Optional.empty(), Optional.empty());
    assertThatThrownBy(() -> TrainingRun.execute(otherOptimizer, ProgressListener.NONE))
        .hasMessageContaining("saved with optimizer=adamw but this run has optimizer=momentum");

    final RunSpec otherBatch = new RunSpec(model, same.dataset(), same.steps(), same.epochs(), 10, same.lr(),
        OptimizerChoice.ADAMW, 2, same.seed(), BackendKind.CPU, same.start(), true, Optional.empty(), Optional.empty());
    assertThatThrownBy(() -> TrainingRun.execute(otherBatch, ProgressListener.NONE))
        .hasMessageContaining("saved with batch=20 but this run has batch=10");

    final Path wider = Files.writeString(dir.resolve("wider.json"),
        TrainerTest.TINY.replace("\"out\": 4", "\"out\": 10").replace("\"out\": 16", "\"out\": 17"));
    assertThatThrownBy(() -> TrainingRun.execute(spec(wider, OptionalLong.of(1), new StartFrom.Resume(saved), "c"),
        ProgressListener.NONE))
        .hasMessageContaining("saved with specHash=");

    final Path weightsOnly = dir.resolve("wa");
    assertThatThrownBy(() -> TrainingRun.execute(spec(model, OptionalLong.of(1), new StartFrom.Resume(weightsOnly), "d"),
        ProgressListener.NONE))
        .hasMessageContaining(weightsOnly.toString());
    // The refused attempts wrote nothing.
    assertThat(dir.resolve("ckptb")).doesNotExist();
    assertThat(dir.resolve("ckptc")).doesNotExist();
  }

  @Test
  void characterModelLearnsAPeriodicText() throws IOException {
    final Path model = Files.writeString(dir.resolve("chars.json"), """
        {"name": "chars", "input": [6], "loss": "cross_entropy", "layers": [
          {"type": "embedding", "name": "wte", "vocab": 8, "dim": 16, "positions": 6},
          {"type": "linear", "name": "head", "out": 8}
        ]}""");
    // Each character determines the next, so a per-position bigram model can be perfect.
    final Path text = Files.writeString(dir.resolve("abcde.txt"), "abcde".repeat(200));
    final TrainingRun.Outcome o = TrainingRun.execute(new RunSpec(model, "text:" + text, OptionalLong.of(60),
        OptionalLong.empty(), 16, 0.02f, OptimizerChoice.ADAMW, 1, 3, BackendKind.CPU, new StartFrom.Seeded(), true,
        Optional.empty(), Optional.empty()), ProgressListener.NONE);
    assertThat(o.lastLoss()).isLessThan(0.5f);
    assertThat(o.testAccuracy().orElseThrow()).isGreaterThan(0.99);
  }

  @Test
  void specRejectsStepsAndEpochsTogether() {
    assertThatThrownBy(() -> new RunSpec(dir, "synthetic", OptionalLong.of(1), OptionalLong.of(1), 1, 0.1f,
        OptimizerChoice.SGD, 1, 1, BackendKind.CPU, new StartFrom.Seeded(), true, Optional.empty(), Optional.empty()))
        .hasMessageContaining("exactly one of steps or epochs");
  }
}
