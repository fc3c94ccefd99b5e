package io.tensorlink.cli.support;

import io.tensorlink.chain.devnet.DevnetStateException;
import io.tensorlink.cli.CliException;
import io.tensorlink.cli.ExitCodes;
import io.tensorlink.cli.config.ConfigException;
import java.io.PrintWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;
import picocli.CommandLine.ParseResult;

/**
 * Turns every failure into one line on stderr ({@code error: …}) and an exit code; the stack trace
 * goes to the log file, and to stderr only with {@code --verbose}.
 */
public final class ErrorHandlers implements IExecutionExceptionHandler, IParameterExceptionHandler {
  private final boolean[] verbose;

  /** @param verbose a one-element holder read at failure time (the flag is parsed after setup) */
  public ErrorHandlers(final boolean[] verbose) {
    this.verbose = verbose;
  }

  @Override
  public int handleExecutionException(final Exception ex, final CommandLine cmd, final ParseResult parsed) {
    final PrintWriter err = cmd.getErr();
    err.println("error: " + describe(ex));
    final Logger log = LoggerFactory.getLogger(ErrorHandlers.class); // not at class load: --help needs no logging
    if (verbose[0]) {
      // The console already shows the log at this point: one trace, printed here, not a second one from the log.
      log.info("{} failed: {}", cmd.getCommandSpec().qualifiedName(), describe(ex));
      ex.printStackTrace(err);
    } else {
      log.info("{} failed", cmd.getCommandSpec().qualifiedName(), ex);
    }
    err.flush();
    return exitCode(ex);
  }

  @Override
  public int handleParseException(final ParameterException ex, final String[] args) {
    final CommandLine cmd = ex.getCommandLine();
    final PrintWriter err = cmd.getErr();
    err.println("error: " + usageMessage(ex) + " (see '" + cmd.getCommandSpec().qualifiedName() + " --help')");
    err.flush();
    return ExitCodes.USAGE;
  }

  /** picocli's message, with the closest names for a mistyped word and the choices for a missing command. */
  static String usageMessage(final ParameterException ex) {
    final CommandLine cmd = ex.getCommandLine();
    if (ex instanceof UnmatchedArgumentException unmatched && !unmatched.getUnmatched().isEmpty()) {
      final String first = unmatched.getUnmatched().get(0);
      final String what = first.startsWith("-") ? "unknown option" : cmd.getSubcommands().isEmpty() ? "unexpected argument" : "unknown command";
      return what + " '" + first + "'" + Suggestions.didYouMean(first, cmd);
    }
    if (!cmd.getSubcommands().isEmpty() && ex.getMessage().startsWith("Missing required subcommand")) {
      return "a command is required: " + String.join(", ", visibleSubcommands(cmd));
    }
    return ex.getMessage();
  }

  private static java.util.List<String> visibleSubcommands(final CommandLine cmd) {
    return cmd.getSubcommands().entrySet().stream()
        .filter(e -> !e.getValue().getCommandSpec().usageMessage().hidden())
        .map(java.util.Map.Entry::getKey).toList();
  }

  static String describe(final Throwable ex) {
    final String message = ex.getMessage();
    return message == null || message.isBlank() ? ex.getClass().getSimpleName() : message;
  }

  static int exitCode(final Throwable ex) {
    if (ex instanceof CliException cli) {
      return cli.exitCode();
    }
    if (ex instanceof ConfigException || ex instanceof DevnetStateException) {
      return ExitCodes.CONFIG;
    }
    return ExitCodes.FAILURE;
  }
}
