package io.tensorlink.cli;

import io.tensorlink.cli.config.Config;
import io.tensorlink.cli.config.ConfigKeys;
import io.tensorlink.cli.support.LogSetup;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * What every command needs from the invocation: the data dir, the resolved configuration, the
 * installation home (for genesis and the npm-installed tools), the environment and the output
 * streams. Created once per run by {@link TlCli}; resolving it sets up logging.
 */
public final class CliContext {
  /** Environment variable naming the data dir (default {@code ~/.tensorlink}). */
  public static final String ENV_DATA_DIR = "TL_DATA_DIR";
  /** Environment variable naming the installation (set by {@code bin/tl-cli}). */
  public static final String ENV_HOME = "TL_HOME";

  private final Path dataDir;
  private final Path home;
  private final Config config;
  private final Map<String, String> env;
  private final PrintWriter out;
  private final boolean verbose;

  CliContext(
      final Path dataDir,
      final Config config,
      final Map<String, String> env,
      final PrintWriter out,
      final boolean verbose) {
    this.dataDir = dataDir;
    this.config = config;
    this.env = Map.copyOf(env);
    this.out = out;
    this.verbose = verbose;
    this.home = Path.of(env.getOrDefault(ENV_HOME, "")).toAbsolutePath();
  }

  /** Creates the data dir, resolves the configuration and starts logging into the data dir. */
  static CliContext open(
      final Path dataDirFlag,
      final Map<String, String> flags,
      final Map<String, String> env,
      final PrintWriter out,
      final boolean verbose) {
    final Path dataDir = dataDir(dataDirFlag, env);
    final Config config = Config.resolve(flags, env, dataDir.resolve(Config.FILE_NAME));
    try {
      Files.createDirectories(dataDir.resolve("logs"));
    } catch (IOException e) {
      throw new CliException("cannot create data dir " + dataDir + ": " + e.getMessage());
    }
    LogSetup.configure(
        config.get(ConfigKeys.LOG_LEVEL), dataDir.resolve("logs").resolve("tl-cli.log"), verbose);
    return new CliContext(dataDir, config, env, out, verbose);
  }

  static Path dataDir(final Path flag, final Map<String, String> env) {
    if (flag != null) {
      return flag.toAbsolutePath();
    }
    final String fromEnv = env.get(ENV_DATA_DIR);
    if (fromEnv != null && !fromEnv.isBlank()) {
      return Path.of(fromEnv).toAbsolutePath();
    }
    return Path.of(System.getProperty("user.home"), ".tensorlink");
  }

  public Path dataDir() {
    return dataDir;
  }

  /** The installation root (repository checkout), where genesis/ and contracts/node_modules live. */
  public Path home() {
    return home;
  }

  public Config config() {
    return config;
  }

  public Map<String, String> env() {
    return env;
  }

  /** The command's own output (stdout); diagnostics go to the log. */
  public PrintWriter out() {
    return out;
  }

  public boolean verbose() {
    return verbose;
  }
}
