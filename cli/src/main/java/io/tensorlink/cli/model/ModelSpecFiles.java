package io.tensorlink.cli.model;

import io.tensorlink.cli.CliContext;
import io.tensorlink.cli.CliException;
import io.tensorlink.cli.ExitCodes;
import io.tensorlink.compute.spec.ModelSpecs;
import io.tensorlink.compute.spec.SpecException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Resolves a {@code --model} argument: a spec file as given, else a shipped spec by name. */
public final class ModelSpecFiles {
  private ModelSpecFiles() {}

  /** The specHash of a spec file or shipped name, as 'model inspect' prints it; a bad spec is a configuration error. */
  public static byte[] specHash(final CliContext ctx, final String model) {
    try {
      return ModelSpecs.specHash(ModelSpecs.read(resolve(ctx, model)));
    } catch (SpecException e) {
      throw new CliException(e.getMessage(), ExitCodes.CONFIG);
    }
  }

  /** A path as given, else {@code models/<name>.json} under the installation. */
  public static Path resolve(final CliContext ctx, final String model) {
    final Path given = Path.of(model);
    if (Files.isRegularFile(given)) {
      return given;
    }
    final Path named = ctx.home().resolve("models").resolve(model + ".json");
    if (Files.isRegularFile(named)) {
      return named;
    }
    throw new CliException("model spec '" + model + "' not found (neither a file nor " + named + ")", ExitCodes.USAGE);
  }
}
