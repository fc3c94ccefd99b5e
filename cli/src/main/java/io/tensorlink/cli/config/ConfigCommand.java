package io.tensorlink.cli.config;

import io.tensorlink.cli.support.Examples;
import io.tensorlink.cli.CliContext;
import io.tensorlink.cli.TlCli;
import io.tensorlink.cli.support.Facts;
import io.tensorlink.cli.support.JsonOption;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code tl-cli config}: shows the effective settings and where each came from. */
@Command(name = "config", mixinStandardHelpOptions = true, footerHeading = Examples.HEADING, footer = {"  tl-cli config show", "  tl-cli config set compute.threads 4"}, description = "Show configuration.", subcommands = {ConfigCommand.Show.class})
public final class ConfigCommand {

  /** {@code tl-cli config show}. */
  @Command(name = "show", mixinStandardHelpOptions = true, footerHeading = Examples.HEADING, footer = {"  tl-cli config show", "  tl-cli config show --json"}, description = "Print every setting as key=value with its source (flag, environment, file, default).")
  static final class Show implements Runnable {
    @Spec CommandSpec spec;
    @Mixin JsonOption json;

    @Override
    public void run() {
      final CliContext ctx = TlCli.context(spec);
      final Map<String, Object> settings = new LinkedHashMap<>();
      Facts.print(ctx.out(), json, f -> {
        f.put("dataDir", ctx.dataDir().toString()).line("# data dir: " + ctx.dataDir());
        for (ConfigKey<?> key : ConfigKeys.ALL) {
          ctx.config().setting(key.name()).ifPresentOrElse(
              s -> {
                final String source = s.source().name().toLowerCase(Locale.ROOT);
                settings.put(key.name(), Map.of("value", s.raw(), "source", source));
                f.line(key.name() + "=" + s.raw() + "  # " + source);
              },
              () -> f.line("# " + key.name() + " is not set (" + key.description() + ")"));
        }
        f.put("settings", settings);
      });
    }
  }
}
