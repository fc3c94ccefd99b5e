package io.tensorlink.cli;

import io.tensorlink.cli.account.BalanceCommand;
import io.tensorlink.cli.account.TransferCommand;
import io.tensorlink.cli.config.ConfigCommand;
import io.tensorlink.cli.config.ConfigKeys;
import io.tensorlink.cli.contracts.ContractsCommand;
import io.tensorlink.cli.devnet.DevnetCommand;
import io.tensorlink.cli.dispute.DisputeCommand;
import io.tensorlink.cli.job.JobCommand;
import io.tensorlink.cli.model.ModelCommand;
import io.tensorlink.cli.node.NodeCommand;
import io.tensorlink.cli.p2p.P2pCommand;
import io.tensorlink.cli.pol.ClaimCommand;
import io.tensorlink.cli.pol.PolCommand;
import io.tensorlink.cli.stake.StakeCommand;
import io.tensorlink.cli.support.ErrorHandlers;
import io.tensorlink.cli.support.Examples;
import io.tensorlink.cli.support.HelpCommand;
import io.tensorlink.cli.support.VersionProvider;
import io.tensorlink.cli.train.TrainCommand;
import io.tensorlink.cli.validator.ValidatorCommand;
import io.tensorlink.cli.wallet.WalletCommand;
import io.tensorlink.cli.xmr.XmrCommand;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import picocli.AutoComplete.GenerateCompletion;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * {@code tl-cli}: the root command. Global options are inherited by every subcommand, so they may
 * stand before or after the subcommand name. Commands get their {@link CliContext} through
 * {@link #context(CommandSpec)}.
 */
@Command(name = "tl-cli",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "TensorLink: train neural networks on contributed compute, verified by proof-of-learning.",
    subcommands = {
      DevnetCommand.class,
      ConfigCommand.class,
      ModelCommand.class,
      ContractsCommand.class,
      WalletCommand.class,
      BalanceCommand.class,
      TransferCommand.class,
      StakeCommand.class,
      ValidatorCommand.class,
      JobCommand.class,
      PolCommand.class,
      ClaimCommand.class,
      DisputeCommand.class,
      NodeCommand.class,
      TrainCommand.class,
      P2pCommand.class,
      XmrCommand.class,
      GenerateCompletion.class,
      HelpCommand.class,
    },
    usageHelpAutoWidth = true,
    footerHeading = Examples.HEADING,
    footer = {
      "  tl-cli devnet up && tl-cli contracts deploy",
      "  tl-cli help stake add",
      "",
      "Exit codes: 0 ok, 1 failure, 2 usage error, 3 bad configuration, 4 not running."
    })
public final class TlCli implements Runnable {
  @Spec CommandSpec spec;

  @Option(
      names = "--data-dir",
      scope = ScopeType.INHERIT,
      paramLabel = "<dir>",
      description = "Data dir for keys, state, logs and config.properties (default: $TL_DATA_DIR or ~/.tensorlink).")
  Path dataDir;

  @Option(
      names = "--log-level",
      scope = ScopeType.INHERIT,
      paramLabel = "<level>",
      description = "trace, debug, info, warn, error or off (config key log.level).")
  String logLevel;

  @Option(
      names = "--rpc-url",
      scope = ScopeType.INHERIT,
      paramLabel = "<url>",
      description = "JSON-RPC endpoint of the chain (config key rpc.url; default: the running devnet).")
  String rpcUrl;

  @Option(
      names = {"-v", "--verbose"},
      scope = ScopeType.INHERIT,
      description = "Log to stderr at the log level and print stack traces with errors.")
  void verbose(final boolean on) {
    verbose[0] = on;
  }

  private final boolean[] verbose = {false};
  private final Map<String, String> env;
  private CliContext context;

  /** For tools that instantiate the command model reflectively (completion generation). */
  public TlCli() {
    this(System.getenv());
  }

  TlCli(final Map<String, String> env) {
    this.env = env;
  }

  public static void main(final String[] args) {
    System.exit(execute(args, System.getenv(), stdout(), stderr()));
  }

  /** Runs one invocation; returns the exit code (see {@link ExitCodes}). */
  public static int execute(
      final String[] args, final Map<String, String> env, final PrintWriter out, final PrintWriter err) {
    final CommandLine cli = new CommandLine(new TlCli(env));
    CommandTree.expand(cli, args);
    configure(cli, out, err);
    try {
      return cli.execute(args);
    } finally {
      out.flush();
      err.flush();
    }
  }

  /** The whole command tree (for completion scripts and tests), configured as for a run. */
  static CommandLine fullTree(final Map<String, String> env, final PrintWriter out, final PrintWriter err) {
    final CommandLine cli = new CommandLine(new TlCli(env));
    CommandTree.expandAll(cli);
    return configure(cli, out, err);
  }

  /** Writes the bash/zsh completion script of the whole tree (run at build time). */
  public static final class CompletionScript {
    private CompletionScript() {}

    public static void main(final String[] args) throws java.io.IOException {
      final PrintWriter sink = new PrintWriter(java.io.Writer.nullWriter());
      picocli.AutoComplete.bash("tl-cli", new java.io.File(args[0]), null, fullTree(System.getenv(), sink, sink));
    }
  }

  /** tl-cli's error handling, execution strategy and streams, on a tree whose commands are all added. */
  private static CommandLine configure(final CommandLine cli, final PrintWriter out, final PrintWriter err) {
    final TlCli root = (TlCli) cli.getCommandSpec().userObject();
    final ErrorHandlers handlers = new ErrorHandlers(root.verbose);
    cli.setOut(out)
        .setErr(err)
        .setExecutionExceptionHandler(handlers)
        .setParameterExceptionHandler(handlers)
        .setCaseInsensitiveEnumValuesAllowed(true)
        .setExecutionStrategy(TlCli::executeParsed);
    // -V/--version on any command prints the same as on the root (picocli would print nothing).
    shareVersion(cli, cli.getCommandSpec().versionProvider());
    // picocli's completion command comes without examples; give it the same help as ours.
    cli.getSubcommands().get("generate-completion").getCommandSpec().usageMessage()
        .footerHeading(Examples.HEADING)
        .footer("  source <(tl-cli generate-completion)", "  tl-cli generate-completion > ~/.local/share/bash-completion/completions/tl-cli");
    return cli;
  }

  private static void shareVersion(final CommandLine cmd, final CommandLine.IVersionProvider provider) {
    cmd.getCommandSpec().versionProvider(provider);
    cmd.getSubcommands().values().forEach(sub -> shareVersion(sub, provider));
  }

  /**
   * Runs the last command parsed, unless a word was left unmatched: with {@code --help} on the line,
   * picocli would otherwise print the help of the level above for a mistyped command, with exit 0.
   */
  private static int executeParsed(final CommandLine.ParseResult parsed) {
    for (CommandLine.ParseResult level = parsed; level != null; level = level.subcommand()) {
      if (!level.unmatched().isEmpty()) {
        throw new CommandLine.UnmatchedArgumentException(level.commandSpec().commandLine(), level.unmatched());
      }
    }
    return new CommandLine.RunLast().execute(parsed);
  }

  /** The context of the invocation a command belongs to; resolves config and logging on first use. */
  public static CliContext context(final CommandSpec spec) {
    return ((TlCli) spec.root().userObject()).context();
  }

  /**
   * The data dir alone, without reading the config file: for the commands that repair a config
   * file that does not parse ({@code config set|unset|path}).
   */
  public static Path dataDir(final CommandSpec spec) {
    final TlCli root = (TlCli) spec.root().userObject();
    return CliContext.dataDir(root.dataDir, root.env);
  }

  private CliContext context() {
    if (context == null) {
      final Map<String, String> flags = new HashMap<>();
      if (logLevel != null) {
        flags.put(ConfigKeys.LOG_LEVEL.name(), logLevel);
      }
      if (rpcUrl != null) {
        flags.put(ConfigKeys.RPC_URL.name(), rpcUrl);
      }
      context = CliContext.open(dataDir, flags, env, spec.commandLine().getOut(), verbose[0]);
    }
    return context;
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "Missing required subcommand");
  }

  private static PrintWriter stdout() {
    return new PrintWriter(System.out, true, StandardCharsets.UTF_8);
  }

  private static PrintWriter stderr() {
    return new PrintWriter(System.err, true, StandardCharsets.UTF_8);
  }
}
