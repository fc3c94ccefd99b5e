package io.tensorlink.cli.config;

import io.tensorlink.cli.support.Examples;
import io.tensorlink.cli.CliContext;
import io.tensorlink.cli.ExitCodes;
import io.tensorlink.cli.TlCli;
import io.tensorlink.cli.support.Facts;
import io.tensorlink.cli.support.JsonOption;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tl-cli config}: shows the effective settings and where each came from. */
@Command(name = "config", mixinStandardHelpOptions = true, footerHeading = Examples.HEADING, footer = {"  tl-cli config show", "  tl-cli config set compute.threads 4"}, description = "Show, read and change the settings in <data-dir>/config.properties.")
public final class ConfigCommand {
  /** The commands of this group, built only when a command line names the group (see CommandTree). */
  public static List<Class<?>> commands() {
    return List.of(ConfigCommand.Show.class, ConfigCommand.Get.class, ConfigCommand.Set.class, ConfigCommand.Unset.class, ConfigCommand.PathOf.class);
  }


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

  /** {@code tl-cli config get <key>}: the effective value (after flag, environment and file). */
  @Command(name = "get", mixinStandardHelpOptions = true, footerHeading = Examples.HEADING,
      footer = {"  tl-cli config get compute.threads", "  tl-cli config get rpc.url"},
      description = "Print the effective value of one setting; exit 1 when it is not set.")
  static final class Get implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "<key>", description = "A setting, e.g. compute.threads (see 'config show').")
    String key;

    @Override
    public Integer call() {
      final CliContext ctx = TlCli.context(spec);
      ConfigFile.known(key);
      return ctx.config().setting(key).map(s -> {
        ctx.out().println(s.raw());
        return ExitCodes.OK;
      }).orElseGet(() -> {
        spec.commandLine().getErr().println(key + " is not set");
        return ExitCodes.FAILURE;
      });
    }
  }

  /** {@code tl-cli config set <key> <value>}. */
  @Command(name = "set", mixinStandardHelpOptions = true, footerHeading = Examples.HEADING,
      footer = {"  tl-cli config set compute.threads 4", "  tl-cli config set rpc.url http://127.0.0.1:8545"},
      description = "Check a value and write it to config.properties (other lines and comments are kept).")
  static final class Set implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "<key>", description = "A setting, e.g. compute.threads.")
    String key;

    @Parameters(index = "1", paramLabel = "<value>", description = "Its new value.")
    String value;

    @Override
    public Integer call() {
      // The data dir alone: set must also repair a config file that no longer parses.
      final ConfigFile file = new ConfigFile(TlCli.dataDir(spec).resolve(Config.FILE_NAME));
      file.set(key, value);
      spec.commandLine().getOut().println(key + "=" + value + "  # written to " + file.path());
      return ExitCodes.OK;
    }
  }

  /** {@code tl-cli config unset <key>}. */
  @Command(name = "unset", mixinStandardHelpOptions = true, footerHeading = Examples.HEADING,
      footer = {"  tl-cli config unset rpc.url"},
      description = "Remove a setting from config.properties, so its default (or environment) applies again.")
  static final class Unset implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "<key>", description = "A setting, e.g. rpc.url.")
    String key;

    @Override
    public Integer call() {
      final ConfigFile file = new ConfigFile(TlCli.dataDir(spec).resolve(Config.FILE_NAME));
      spec.commandLine().getOut().println(file.unset(key) ? "removed " + key + " from " + file.path() : key + " was not in " + file.path());
      return ExitCodes.OK;
    }
  }

  /** {@code tl-cli config path}. */
  @Command(name = "path", mixinStandardHelpOptions = true, footerHeading = Examples.HEADING,
      footer = {"  tl-cli config path", "  $EDITOR \"$(tl-cli config path)\""},
      description = "Print the path of the config file of the data dir (it may not exist yet).")
  static final class PathOf implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      spec.commandLine().getOut().println(TlCli.dataDir(spec).resolve(Config.FILE_NAME));
      return ExitCodes.OK;
    }
  }
}
