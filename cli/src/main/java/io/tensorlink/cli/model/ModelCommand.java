package io.tensorlink.cli.model;

import io.tensorlink.cli.support.Examples;
import io.tensorlink.cli.CliContext;
import io.tensorlink.cli.CliException;
import io.tensorlink.cli.ExitCodes;
import io.tensorlink.cli.TlCli;
import io.tensorlink.compute.nn.Model;
import io.tensorlink.compute.nn.ParamSpec;
import io.tensorlink.compute.spec.ModelFactory;
import io.tensorlink.compute.spec.ModelSpec;
import io.tensorlink.compute.spec.ModelSpecs;
import io.tensorlink.compute.spec.SpecException;
import io.tensorlink.cli.support.Facts;
import io.tensorlink.cli.support.JsonOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Arrays;
import java.util.HexFormat;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tl-cli model inspect}: validates a model spec and prints its parameters and specHash. */
@Command(name = "model", mixinStandardHelpOptions = true, footerHeading = Examples.HEADING, footer = {"  tl-cli model inspect mlp"}, description = "Inspect model specs.")
public final class ModelCommand {
  /** The commands of this group, built only when a command line names the group (see CommandTree). */
  public static List<Class<?>> commands() {
    return List.of(ModelCommand.Inspect.class, ModelCommand.ListModels.class);
  }


  /** {@code tl-cli model list}: the specs shipped in {@code $TL_HOME/models}. */
  @Command(name = "list", mixinStandardHelpOptions = true, footerHeading = Examples.HEADING,
      footer = {"  tl-cli model list", "  tl-cli model list --json"},
      description = "List the model specs shipped in $TL_HOME/models with their parameter count and specHash.")
  static final class ListModels implements Runnable {
    @Spec CommandSpec spec;
    @Mixin JsonOption json;

    @Override
    public void run() {
      final CliContext ctx = TlCli.context(spec);
      final java.nio.file.Path dir = ctx.home().resolve("models");
      final List<java.util.Map<String, Object>> rows = new ArrayList<>();
      final List<String> lines = new ArrayList<>();
      try (java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.list(dir)) {
        for (final java.nio.file.Path file : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
          final String name = file.getFileName().toString().replaceFirst("\\.json$", "");
          try {
            final ModelSpec parsed = ModelSpecs.read(file);
            final long params = ModelFactory.build(parsed).paramCount();
            final String hash = "0x" + HexFormat.of().formatHex(ModelSpecs.specHash(parsed));
            rows.add(java.util.Map.of("name", name, "file", file.toString(), "parameterCount", params, "specHash", hash));
            lines.add(String.format(Locale.ROOT, "%-12s %,14d params  %s", name, params, hash));
          } catch (SpecException e) {
            lines.add(String.format(Locale.ROOT, "%-12s invalid: %s", name, e.getMessage()));
          }
        }
      } catch (java.io.IOException e) {
        throw new CliException("cannot list " + dir + ": " + e.getMessage(), ExitCodes.CONFIG);
      }
      Facts.print(ctx.out(), json, f -> {
        f.put("models", rows);
        lines.forEach(f::line);
      });
    }
  }

  /** One parameter tensor in {@code --json} output. */
  record Param(String name, int[] shape) {}

  /** {@code tl-cli model inspect <spec>}. */
  @Command(name = "inspect", mixinStandardHelpOptions = true, footerHeading = Examples.HEADING, footer = {"  tl-cli model inspect mlp", "  tl-cli model inspect ./my-spec.json --json"}, description = {
      "Validate a model spec and print its input/output shapes, parameters and specHash.",
      "The last line is specHash=0x… (what `job create --spec-hash` takes)."})
  static final class Inspect implements Runnable {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "<spec>", description = "Model spec JSON file, or the name of one in $TL_HOME/models (mlp, cnn, gpt-char).")
    String model;

    @Mixin JsonOption json;

    @Override
    public void run() {
      final CliContext ctx = TlCli.context(spec);
      final ModelSpec parsed;
      final Model built;
      try {
        parsed = ModelSpecs.read(ModelSpecFiles.resolve(ctx, model));
        built = ModelFactory.build(parsed);
      } catch (SpecException e) {
        throw new CliException(e.getMessage(), ExitCodes.CONFIG);
      }
      final String specHash = "0x" + HexFormat.of().formatHex(ModelSpecs.specHash(parsed));
      Facts.print(ctx.out(), json, f -> {
        f.fact("model", built.name(), "model", built.name())
            .put("input", built.inputShape()).put("output", built.outputShape())
            .line("input: " + Arrays.toString(built.inputShape()) + " -> output: " + Arrays.toString(built.outputShape()))
            .fact("loss", parsed.loss().toString(), "loss", parsed.loss().toString());
        final List<Param> params = new ArrayList<>();
        for (ParamSpec p : built.paramSpecs()) {
          params.add(new Param(p.name(), p.shape()));
          f.line(String.format(Locale.ROOT, "  %-28s %s", p.name(), Arrays.toString(p.shape())));
        }
        f.put("parameters", params).put("parameterCount", built.paramCount()).line("parameters: " + built.paramCount())
            .put("specHash", specHash).line("specHash=" + specHash);
      });
    }
  }
}
