package io.tensorlink.cli.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tensorlink.cli.CliRun;
import io.tensorlink.cli.ExitCodes;
import io.tensorlink.compute.checkpoint.CheckpointFile;
import io.tensorlink.compute.cuda.CudaProbe;
import io.tensorlink.compute.hash.Keccak;
import io.tensorlink.compute.run.ProgressListener.Progress;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** tl-cli train in-process on generated data with a tiny model. */
class TrainCommandTest {

  private static final String TINY = """
      {"name": "tiny", "input": [8], "loss": "cross_entropy", "layers": [
        {"type": "linear", "name": "fc1", "out": 16},
        {"type": "relu", "name": "relu1"},
        {"type": "linear", "name": "fc2", "out": 10}
      ]}""";

  @TempDir Path dir;

  private CliRun train(final String... extra) throws IOException {
    final Path model = Files.writeString(dir.resolve("tiny.json"), TINY);
    final String[] base = {"train", "--model", model.toString(), "--dataset", "synthetic:300", "--batch", "20",
        "--threads", "1", "--backend", "cpu", "--seed", "4"};
    final String[] all = new String[base.length + extra.length];
    System.arraycopy(base, 0, all, 0, base.length);
    System.arraycopy(extra, 0, all, base.length, extra.length);
    return CliRun.run(dir.resolve("data"), all);
  }

  private static String lastLine(final String out) {
    final List<String> lines = out.lines().toList();
    return lines.get(lines.size() - 1);
  }

  @Test
  void trainsSavesExportsAndEndsWithTheParamsRoot() throws IOException {
    final Path ckpt = dir.resolve("run.tlck");
    final Path weights = dir.resolve("run.safetensors");
    final CliRun r = train("--steps", "6", "--optimizer", "momentum", "--lr", "0.05", "--out", ckpt.toString(),
        "--export", weights.toString());
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).contains("backend: cpu", "steps: 6", "test accuracy: ", "checkpoint: " + ckpt);
    assertThat(r.err()).contains("step 6/6", "samples/s", "ETA");
    final String root = Keccak.hex(CheckpointFile.load(ckpt).paramsRoot());
    assertThat(lastLine(r.out())).isEqualTo("paramsRoot=" + root);

    // Same seed, same flags: the same bits. Starting from the export with no steps: the same root.
    assertThat(lastLine(train("--steps", "6", "--optimizer", "momentum", "--lr", "0.05").out()))
        .isEqualTo("paramsRoot=" + root);
    final CliRun imported = train("--steps", "0", "--init", weights.toString());
    assertThat(imported.exitCode()).as(imported.err()).isZero();
    assertThat(lastLine(imported.out())).isEqualTo("paramsRoot=" + root);
  }

  @Test
  void resumeContinuesASavedRunToTheSameRoot() throws IOException {
    final String straight = lastLine(train("--steps", "5").out());
    final Path ckpt = dir.resolve("half.tlck");
    assertThat(train("--steps", "2", "--out", ckpt.toString()).exitCode()).isZero();

    final CliRun resumed = train("--steps", "3", "--resume", ckpt.toString());
    assertThat(resumed.exitCode()).as(resumed.err()).isZero();
    assertThat(resumed.out()).contains("resumed at step: 2", "steps: 3");
    assertThat(lastLine(resumed.out())).isEqualTo(straight);

    final CliRun otherSeed = CliRun.run(dir.resolve("data"), "train", "--model", dir.resolve("tiny.json").toString(),
        "--dataset", "synthetic:300", "--batch", "20", "--threads", "1", "--backend", "cpu", "--seed", "5",
        "--steps", "3", "--resume", ckpt.toString());
    assertThat(otherSeed.exitCode()).isEqualTo(ExitCodes.FAILURE);
    assertThat(otherSeed.err()).contains("saved with seed=4 but this run has seed=5");
    final CliRun both = train("--steps", "1", "--resume", ckpt.toString(), "--init", ckpt.toString());
    assertThat(both.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(both.err()).contains("mutually exclusive");
  }

  @Test
  void noShuffleChangesTheRun() throws IOException {
    final String shuffled = lastLine(train("--steps", "3").out());
    final String ordered = lastLine(train("--steps", "3", "--no-shuffle").out());
    assertThat(ordered).startsWith("paramsRoot=0x").isNotEqualTo(shuffled);
  }

  @Test
  void usageErrorsExitWithTwo() throws IOException {
    final CliRun both = train("--steps", "1", "--epochs", "1");
    assertThat(both.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(both.err()).contains("mutually exclusive");
    final CliRun badOpt = train("--steps", "1", "--optimizer", "lion");
    assertThat(badOpt.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(badOpt.err()).contains("unknown optimizer 'lion'");
    final CliRun noModel = CliRun.run(dir.resolve("data"), "train", "--model", "no-such-model", "--steps", "1");
    assertThat(noModel.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(noModel.err()).contains("model spec 'no-such-model' not found");
  }

  @Test
  void badInputFilesAreOneLineErrors() throws IOException {
    final CliRun data = CliRun.run(dir.resolve("data"), "train", "--model", "mlp", "--dataset", "imagenet", "--steps", "1");
    assertThat(data.exitCode()).as(data.err()).isEqualTo(ExitCodes.FAILURE);
    assertThat(data.err()).startsWith("error: unknown dataset 'imagenet'");
    final Path junk = Files.write(dir.resolve("junk.safetensors"), new byte[] {1, 2, 3});
    final CliRun init = train("--steps", "1", "--init", junk.toString());
    assertThat(init.exitCode()).isEqualTo(ExitCodes.FAILURE);
    assertThat(init.err()).contains("junk.safetensors: 3 bytes is too short");
  }

  @Test
  void initWeightsWithoutATensorOfTheModelNameIt() throws IOException {
    final Path weights = dir.resolve("tiny.safetensors");
    final CliRun exported = train("--steps", "0", "--export", weights.toString());
    assertThat(exported.exitCode()).as(exported.err()).isZero();
    final Path bigger = Files.writeString(dir.resolve("bigger.json"), TINY.replace("\"out\": 10}",
        "\"out\": 10},\n{\"type\": \"relu\", \"name\": \"relu2\"},\n{\"type\": \"linear\", \"name\": \"fc3\", \"out\": 10}"));
    final CliRun r = CliRun.run(dir.resolve("data"), "train", "--model", bigger.toString(), "--dataset", "synthetic:300",
        "--batch", "20", "--threads", "1", "--backend", "cpu", "--steps", "1", "--init", weights.toString());
    assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.FAILURE);
    assertThat(r.err().strip().lines()).singleElement().asString().startsWith("error: ").contains("missing tensors [fc3.");
  }

  @Test
  void periodicCheckpointsAndTheRightFlagForACheckpoint() throws IOException {
    final Path ckpt = dir.resolve("periodic.tlck");
    final CliRun r = train("--steps", "5", "--out", ckpt.toString(), "--checkpoint-every", "2");
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.err()).contains("checkpoint at step 2: " + ckpt, "checkpoint at step 4: " + ckpt).doesNotContain("step 5: " + ckpt);
    assertThat(CheckpointFile.load(ckpt).step()).isEqualTo(5);

    final CliRun noOut = train("--steps", "2", "--checkpoint-every", "1");
    assertThat(noOut.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(noOut.err()).contains("--checkpoint-every needs --out");

    final CliRun init = train("--steps", "1", "--init", ckpt.toString());
    assertThat(init.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(init.err()).contains("is a TensorLink checkpoint (TLCK), not safetensors weights: continue it with --resume " + ckpt);
  }

  @Test
  void anUnwritableOutputFailsBeforeTheFirstStep() throws IOException {
    final CliRun noDir = train("--steps", "1", "--out", dir.resolve("missing").resolve("run.tlck").toString());
    assertThat(noDir.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(noDir.err()).contains("--out", "does not exist").doesNotContain("step 1/");
    final CliRun folder = train("--steps", "1", "--export", dir.toString());
    assertThat(folder.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(folder.err()).contains("--export " + dir + " is a directory").doesNotContain("step 1/");
  }

  @Test
  void explicitCudaWithoutADeviceFailsWithTheReason() {
    assumeTrue(CudaProbe.unavailableReason().isPresent(), "a CUDA device is present: nothing to refuse");
    final CliRun r = CliRun.run(dir.resolve("data"), "train", "--model", "mlp", "--dataset", "synthetic:200",
        "--steps", "1", "--backend", "cuda");
    assertThat(r.exitCode()).isEqualTo(ExitCodes.FAILURE);
    assertThat(r.err()).startsWith("error: backend cuda requested but unavailable: ");
  }

  @Test
  void progressBarRendersAndThrottles() {
    assertThat(ProgressBar.render(new Progress(5, 10, 0.5f, 1234.4, 5_000_000_000L)))
        .isEqualTo("[============>           ] step 5/10  loss 0.5000  1234 samples/s  ETA 0:05");
    assertThat(ProgressBar.duration(3_725_000_000_000L)).isEqualTo("1:02:05");
    final StringWriter sink = new StringWriter();
    final long[] now = {0};
    final ProgressBar bar = new ProgressBar(new PrintWriter(sink), true, () -> now[0]);
    bar.onStep(new Progress(1, 3, 1f, 1, 1));
    now[0] += ProgressBar.MIN_INTERVAL_NANOS / 2;
    bar.onStep(new Progress(2, 3, 1f, 1, 2));
    bar.onStep(new Progress(3, 3, 1f, 1, 3));
    assertThat(sink.toString()).startsWith("\r[").contains("step 1/3", "step 3/3").doesNotContain("step 2/3")
        .endsWith(System.lineSeparator());
  }

  @Test
  void offATerminalProgressIsPlainPeriodicLines() {
    final StringWriter sink = new StringWriter();
    final long[] now = {0};
    final ProgressBar bar = new ProgressBar(new PrintWriter(sink), false, () -> now[0]);
    bar.onStep(new Progress(1, 4, 1f, 1, 1));
    now[0] += ProgressBar.MIN_INTERVAL_NANOS * 2;
    bar.onStep(new Progress(2, 4, 1f, 1, 2));
    now[0] += ProgressBar.PLAIN_INTERVAL_NANOS;
    bar.onStep(new Progress(3, 4, 1f, 1, 3));
    bar.onStep(new Progress(4, 4, 1f, 1, 4));
    assertThat(sink.toString()).doesNotContain("\r", "[").contains("step 1/4", "step 3/4", "step 4/4").doesNotContain("step 2/4");
    assertThat(sink.toString().lines()).hasSize(3);
  }

  @Test
  void theBarEndsItsLineBeforeAnError() {
    final StringWriter sink = new StringWriter();
    final ProgressBar bar = new ProgressBar(new PrintWriter(sink), true, () -> 0);
    bar.onStep(new Progress(1, 9, 1f, 1, 1));
    bar.finish();
    bar.finish();
    assertThat(sink.toString()).endsWith("ETA 0:00" + System.lineSeparator()).containsOnlyOnce(System.lineSeparator());
  }
}
