package io.tensorlink.cli.train;

import io.tensorlink.cli.support.Examples;
import io.tensorlink.cli.CliContext;
import io.tensorlink.cli.CliException;
import io.tensorlink.cli.ExitCodes;
import io.tensorlink.cli.TlCli;
import io.tensorlink.cli.model.ModelSpecFiles;
import io.tensorlink.compute.checkpoint.CheckpointException;
import io.tensorlink.compute.cuda.BackendKind;
import io.tensorlink.compute.cuda.CudaException;
import io.tensorlink.compute.data.DatasetException;
import io.tensorlink.compute.run.OptimizerChoice;
import io.tensorlink.compute.run.RunSpec;
import io.tensorlink.compute.run.StartFrom;
import io.tensorlink.compute.run.TrainingRun;
import io.tensorlink.compute.spec.SpecException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tl-cli train}: a standalone training run on this machine. Progress goes to stderr; the
 * summary to stdout, whose last line is {@code paramsRoot=0x…}.
 */
@Command(name = "train", mixinStandardHelpOptions = true, footerHeading = Examples.HEADING, footer = {"  tl-cli train --model mlp --dataset synthetic --steps 200", "  tl-cli train --model mlp --epochs 1 --out run.tlck --export mlp.safetensors"}, description = "Train a model locally; prints test accuracy and the final paramsRoot.")
public final class TrainCommand implements java.util.concurrent.Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--model", required = true, paramLabel = "<spec>",
      description = "Model spec JSON file, or the name of one in $TL_HOME/models (mlp, cnn, gpt-char).")
  String model;

  @Option(names = "--dataset", paramLabel = "<source>", defaultValue = "fashion-mnist",
      description = "fashion-mnist[:<dir>], text:<file> or synthetic[:<samples>] (default: ${DEFAULT-VALUE}).")
  String dataset;

  @ArgGroup(exclusive = true)
  Length length;

  static final class Length {
    @Option(names = "--steps", paramLabel = "<n>", description = "Number of steps.")
    Long steps;

    @Option(names = "--epochs", paramLabel = "<n>", description = "Whole passes over the training set (default: 1).")
    Long epochs;
  }

  @Option(names = "--batch", paramLabel = "<n>", defaultValue = "128", description = "Batch size (default: ${DEFAULT-VALUE}).")
  int batch;

  @Option(names = "--lr", paramLabel = "<rate>", defaultValue = "0.001", description = "Learning rate (default: ${DEFAULT-VALUE}).")
  float lr;

  @Option(names = "--optimizer", paramLabel = "<name>", defaultValue = "adamw",
      description = "sgd, momentum, nesterov or adamw (default: ${DEFAULT-VALUE}).")
  String optimizer;

  @Option(names = "--threads", paramLabel = "<n>", description = "CPU threads (default: all processors).")
  Integer threads;

  @Option(names = "--seed", paramLabel = "<n>", defaultValue = "1",
      description = "Seed for initialization, shuffling and dropout (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--backend", paramLabel = "<kind>", defaultValue = "auto",
      description = "auto (CUDA when a device is usable), cpu or cuda (default: ${DEFAULT-VALUE}).")
  String backend;

  @ArgGroup(exclusive = true)
  Start start;

  static final class Start {
    @Option(names = "--init", paramLabel = "<safetensors>", description = "Start from these weights instead of the seeded init.")
    Path init;

    @Option(names = "--resume", paramLabel = "<checkpoint>",
        description = "Continue a run saved with --out: weights, optimizer state and step count. It must have the same "
            + "model, optimizer, dataset, batch, seed and shuffle setting; --steps/--epochs count from it on.")
    Path resume;

    StartFrom toStartFrom() {
      return init != null ? new StartFrom.Weights(init) : new StartFrom.Resume(resume);
    }
  }

  @Option(names = "--no-shuffle", description = "Visit samples in file order.")
  boolean noShuffle;

  @Option(names = "--out", paramLabel = "<checkpoint>", description = "Save the final checkpoint (weights + optimizer state).")
  Path out;

  @Option(names = "--export", paramLabel = "<safetensors>", description = "Export the final weights as safetensors.")
  Path export;

  @Override
  public Integer call() {
    final CliContext ctx = TlCli.context(spec);
    final RunSpec run = runSpec(ctx);
    final TrainingRun.Outcome o;
    try {
      o = TrainingRun.execute(run, new ProgressBar(spec.commandLine().getErr()));
    } catch (DatasetException | CheckpointException | SpecException | CudaException e) {
      throw new CliException(e.getMessage());
    }
    final PrintWriter stdout = ctx.out();
    stdout.printf(Locale.ROOT, "backend: %s%n", o.backend());
    if (o.startStep() > 0) {
      stdout.printf(Locale.ROOT, "resumed at step: %d%n", o.startStep());
    }
    stdout.printf(Locale.ROOT, "steps: %d%n", o.steps());
    stdout.printf(Locale.ROOT, "final loss: %.4f%n", o.lastLoss());
    stdout.printf(Locale.ROOT, "samples/s: %.0f%n", o.samplesPerSecond());
    o.testAccuracy().ifPresent(a -> stdout.printf(Locale.ROOT, "test accuracy: %.4f%n", a));
    run.out().ifPresent(p -> stdout.println("checkpoint: " + p));
    run.export().ifPresent(p -> stdout.println("export: " + p));
    stdout.println("paramsRoot=" + o.paramsRootHex());
    return ExitCodes.OK;
  }

  private RunSpec runSpec(final CliContext ctx) {
    try {
      final boolean bySteps = length != null && length.steps != null;
      return new RunSpec(ModelSpecFiles.resolve(ctx, model), dataset,
          bySteps ? OptionalLong.of(length.steps) : OptionalLong.empty(),
          bySteps ? OptionalLong.empty() : OptionalLong.of(length != null ? length.epochs : 1),
          batch, lr, OptimizerChoice.parse(optimizer),
          threads != null ? threads : Runtime.getRuntime().availableProcessors(), seed, BackendKind.parse(backend),
          start != null ? start.toStartFrom() : new StartFrom.Seeded(), !noShuffle, Optional.ofNullable(out), Optional.ofNullable(export));
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
  }
}
