package io.tensorlink.cli.config;

import io.tensorlink.cli.support.Examples;
import io.tensorlink.cli.CliContext;
import io.tensorlink.cli.TlCli;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code tl-cli config}: shows the effective settings and where each came from. */
@Command(name = "config", mixinStandardHelpOptions = true, footerHeading = Examples.HEADING, footer = {"  tl-cli config show", "  tl-cli config set compute.threads 4"}, description = "Show configuration.", subcommands = {ConfigCommand.Show.class})
public final class ConfigCommand {

  /** {@code tl-cli config show}. */
  @Command(name = "show", mixinStandardHelpOptions = true, footerHeading = Examples.HEADING, footer = {"  tl-cli config show", "  tl-cli config show --json"}, description = "Print every setting as key=value with its source (flag, environment, file, default).")
  static final class Show implements Runnable {
    @Spec CommandSpec spec;

    @Override
    public void run() {
      final CliContext ctx = TlCli.context(spec);
      final PrintWriter out = ctx.out();
      out.println("# data dir: " + ctx.dataDir());
      for (ConfigKey<?> key : ConfigKeys.ALL) {
        ctx.config()
            .setting(key.name())
            .ifPresentOrElse(
                s -> out.println(key.name() + "=" + s.raw() + "  # " + s.source().name().toLowerCase(java.util.Locale.ROOT)),
                () -> out.println("# " + key.name() + " is not set (" + key.description() + ")"));
      }
    }
  }
}
