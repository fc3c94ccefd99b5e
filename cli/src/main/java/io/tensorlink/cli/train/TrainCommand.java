package io.tensorlink.cli.train;

import io.tensorlink.cli.support.Examples;
import io.tensorlink.cli.CliContext;
import io.tensorlink.cli.CliException;
import io.tensorlink.cli.ExitCodes;
import io.tensorlink.cli.TlCli;
import io.tensorlink.cli.config.ConfigKeys;
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
import io.tensorlink.cli.support.Facts;
import io.tensorlink.cli.support.JsonOption;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tl-cli train}: a standalone training run on this machine. Progress goes to stderr; the
 * summary to stdout, whose last line is {@code paramsRoot=0x…}.
 */
@Command(name = "train", mixinStandardHelpOptions = true, footerHeading = Examples.HEADING, footer = {"  tl-cli train --model mlp --dataset synthetic --steps 200", "  tl-cli train --model mlp --epochs 1 --out run.tlck --export mlp.safetensors"}, description = "Train a model locally; prints test accuracy and the final paramsRoot.")
public final class TrainCommand implements java.util.concurrent.Callable<Integer> {
  /** Set by bin/tl-cli to 1 when stderr is a terminal (the launcher filters stderr through a pipe). */
  static final String ENV_STDERR_TTY = "TL_STDERR_TTY";

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

  @Option(names = "--threads", paramLabel = "<n>", description = "CPU threads (default: config key compute.threads, else all processors).")
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

  @Option(names = "--checkpoint-every", paramLabel = "<n>",
      description = "Also save the checkpoint to --out every <n> steps while training (ctrl-C always saves one when --out is given).")
  Long checkpointEvery;

  @Mixin JsonOption json;

  @Override
  public Integer call() {
    final CliContext ctx = TlCli.context(spec);
    final RunSpec run = runSpec(ctx);
    // An unwritable --out/--export would otherwise lose the whole run at its very end.
    run.out().ifPresent(p -> OutputFiles.requireWritable("--out", p));
    run.export().ifPresent(p -> OutputFiles.requireWritable("--export", p));
    if (checkpointEvery != null && (checkpointEvery < 1 || run.out().isEmpty())) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          checkpointEvery < 1 ? "--checkpoint-every must be at least 1" : "--checkpoint-every needs --out <checkpoint> to save to");
    }
    if (start != null && start.init != null && CheckpointFiles.isCheckpoint(start.init)) {
      throw new CliException("--init " + start.init + " is a TensorLink checkpoint (TLCK), not safetensors weights: continue it with --resume "
          + start.init, ExitCodes.USAGE);
    }
    final ProgressBar bar = new ProgressBar(spec.commandLine().getErr(), "1".equals(ctx.env().get(ENV_STDERR_TTY)));
    final TrainingRun.Outcome o;
    try (Checkpointing listener = new Checkpointing(bar, spec.commandLine().getErr(), run.out(), checkpointEvery == null ? 0 : checkpointEvery)) {
      o = TrainingRun.execute(run, listener);
    } catch (DatasetException | CheckpointException | SpecException | CudaException e) {
      throw new CliException(e.getMessage());
    } finally {
      bar.finish();
    }
    Facts.print(ctx.out(), json, f -> {
      f.fact("backend", o.backend(), "backend", o.backend())
          .fact("threads", run.threads(), "threads", Integer.toString(run.threads()));
      if (o.startStep() > 0) {
        f.line(String.format(Locale.ROOT, "resumed at step: %d", o.startStep()));
      }
      f.put("startStep", o.startStep())
          .fact("steps", o.steps(), "steps", Long.toString(o.steps()))
          .fact("finalLoss", o.lastLoss(), "final loss", String.format(Locale.ROOT, "%.4f", o.lastLoss()))
          .fact("samplesPerSecond", Math.round(o.samplesPerSecond()), "samples/s", String.format(Locale.ROOT, "%.0f", o.samplesPerSecond()))
          .put("testAccuracy", o.testAccuracy().isPresent() ? o.testAccuracy().getAsDouble() : null);
      o.testAccuracy().ifPresent(a -> f.line(String.format(Locale.ROOT, "test accuracy: %.4f", a)));
      f.put("checkpoint", run.out().map(Path::toString).orElse(null)).put("export", run.export().map(Path::toString).orElse(null));
      run.out().ifPresent(p -> f.line("checkpoint: " + p));
      run.export().ifPresent(p -> f.line("export: " + p));
      f.put("paramsRoot", o.paramsRootHex()).line("paramsRoot=" + o.paramsRootHex());
    });
    return ExitCodes.OK;
  }

  private RunSpec runSpec(final CliContext ctx) {
    try {
      final boolean bySteps = length != null && length.steps != null;
      return new RunSpec(ModelSpecFiles.resolve(ctx, model), dataset,
          bySteps ? OptionalLong.of(length.steps) : OptionalLong.empty(),
          bySteps ? OptionalLong.empty() : OptionalLong.of(length != null ? length.epochs : 1),
          batch, lr, OptimizerChoice.parse(optimizer),
          threads != null ? threads : ctx.config().find(ConfigKeys.COMPUTE_THREADS).orElse(Runtime.getRuntime().availableProcessors()), seed, BackendKind.parse(backend),
          start != null ? start.toStartFrom() : new StartFrom.Seeded(), !noShuffle, Optional.ofNullable(out), Optional.ofNullable(export));
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
  }
}
