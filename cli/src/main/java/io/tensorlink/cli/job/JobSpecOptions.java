package io.tensorlink.cli.job;

import io.tensorlink.cli.CliContext;
import io.tensorlink.cli.CliException;
import io.tensorlink.cli.ExitCodes;
import io.tensorlink.cli.model.ModelSpecFiles;
import io.tensorlink.chain.pol.JobSpec;
import io.tensorlink.chain.pol.VerifyMode;
import io.tensorlink.chain.pol.work.DatasetCommitment;
import io.tensorlink.compute.data.DatasetException;
import io.tensorlink.compute.data.DatasetSource;
import io.tensorlink.compute.optim.LrSchedule;
import io.tensorlink.compute.run.OptimizerChoice;
import io.tensorlink.compute.spec.ModelSpec;
import io.tensorlink.compute.spec.ModelSpecs;
import io.tensorlink.compute.spec.SpecException;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.tuweni.bytes.Bytes32;
import picocli.CommandLine.Option;

/**
 * The training half of {@code job create}: with {@code --dataset} the model, data and
 * hyperparameters become a full {@link JobSpec}, whose canonical hash is the escrow's paramsHash.
 * Every invalid value is reported naming its option (or the spec key) before anything is sent.
 */
final class JobSpecOptions {
  @Option(names = "--dataset", paramLabel = "<source>",
      description = "With --model: the training data, fashion-mnist[:<dir>], text:<file> or synthetic[:<samples>]; "
          + "makes the job a full spec (paramsHash = its canonical hash).")
  String dataset;

  @Option(names = "--steps", paramLabel = "<n>", description = "Training steps (with --dataset).")
  Long steps;

  @Option(names = "--batch", paramLabel = "<n>", defaultValue = "32", description = "Samples per replica per step (default: ${DEFAULT-VALUE}).")
  int batch;

  @Option(names = "--optimizer", paramLabel = "<name>", defaultValue = "adamw",
      description = "sgd, momentum, nesterov or adamw (default: ${DEFAULT-VALUE}).")
  String optimizer;

  @Option(names = "--lr", paramLabel = "<rate>", defaultValue = "0.001", description = "Learning rate (default: ${DEFAULT-VALUE}).")
  float lr;

  @Option(names = "--seed", paramLabel = "<n>", defaultValue = "1", description = "Seed of init, shuffling and dropout (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--stages", paramLabel = "<S>", defaultValue = "1", description = "Pipeline stages (default: ${DEFAULT-VALUE}).")
  int stages;

  @Option(names = "--replicas", paramLabel = "<R>", defaultValue = "1", description = "Data-parallel replicas (default: ${DEFAULT-VALUE}).")
  int replicas;

  @Option(names = "--verify-rate", paramLabel = "<p>",
      description = "Share of records each validator re-executes, 0 < p <= 1 (e.g. 0.05); overrides --verify-rate-ppm.")
  Double verifyRate;

  @Option(names = "--block-steps", paramLabel = "<N>", defaultValue = "10", description = "Steps per PoL block (default: ${DEFAULT-VALUE}).")
  int blockSteps;

  @Option(names = "--grad-clip", paramLabel = "<norm>", defaultValue = "0", description = "Global-norm clipping, 0 = off (single-stage jobs only).")
  float gradClip;

  @Option(names = "--no-shuffle", description = "Visit samples in file order.")
  boolean noShuffle;

  /** Whether the training options make a full spec (else the job is on-chain only). */
  boolean full() {
    return dataset != null;
  }

  /** The verify rate in ppm: --verify-rate when given, else {@code ppm}. */
  long ratePpm(final long ppm) {
    if (verifyRate == null) {
      return ppm;
    }
    if (!(verifyRate > 0 && verifyRate <= 1)) {
      throw new CliException("--verify-rate must be in (0, 1], got " + verifyRate, ExitCodes.USAGE);
    }
    return Math.max(1, Math.round(verifyRate * 1_000_000));
  }

  /** Builds and validates the spec from --model and these options. */
  JobSpec build(final CliContext ctx, final String model, final BigInteger price, final long ratePpm,
      final long tolerancePpm) {
    if (steps == null) {
      throw new CliException("--dataset needs --steps (how long the job trains)", ExitCodes.USAGE);
    }
    final Path file = ModelSpecFiles.resolve(ctx, model);
    final ModelSpec modelSpec;
    try {
      modelSpec = ModelSpecs.read(file);
    } catch (SpecException e) {
      throw new CliException(e.getMessage(), ExitCodes.CONFIG);
    }
    final Bytes32 root;
    final int size;
    try {
      final var train = DatasetSource.open(dataset, modelSpec.input(), seed).train();
      root = DatasetCommitment.of(train).root();
      size = train.size();
    } catch (DatasetException e) {
      throw new CliException("--dataset " + dataset + ": " + e.getMessage(), ExitCodes.USAGE, e);
    }
    try {
      return new JobSpec(Bytes32.wrap(ModelSpecs.specHash(modelSpec)), root, size,
          OptimizerChoice.parse(optimizer).create(), new LrSchedule.Constant(lr), gradClip, batch, seed, steps,
          !noShuffle, stages, replicas, Math.toIntExact(ratePpm), tolerancePpm == 0 ? VerifyMode.EXACT : VerifyMode.TOLERANT,
          Math.toIntExact(tolerancePpm), blockSteps, price);
    } catch (IllegalArgumentException | ArithmeticException e) {
      throw new CliException("invalid job spec: " + e.getMessage(), ExitCodes.USAGE, e);
    }
  }

  /** Reads a job spec file (any key order; unknown or missing keys are named). */
  static JobSpec read(final Path file) {
    final String json;
    try {
      json = Files.readString(file);
    } catch (IOException e) {
      throw new CliException("cannot read job spec " + file + ": " + e.getMessage(), ExitCodes.USAGE, e);
    }
    try {
      return JobSpec.parse(json);
    } catch (IllegalArgumentException e) {
      throw new CliException("invalid job spec " + file + ": " + e.getMessage(), ExitCodes.USAGE, e);
    }
  }
}
