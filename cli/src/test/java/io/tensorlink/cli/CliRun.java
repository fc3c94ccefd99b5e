package io.tensorlink.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Runs tl-cli in-process with a given environment and captures stdout, stderr and the exit code. */
public record CliRun(int exitCode, String out, String err) {

  /** Runs with an isolated data dir and TL_HOME pointing at the repository checkout. */
  public static CliRun run(final Path dataDir, final Map<String, String> extraEnv, final String... args) {
    final Map<String, String> env = new HashMap<>();
    env.put(CliContext.ENV_HOME, repositoryRoot().toString());
    env.putAll(extraEnv);
    final List<String> argv = new ArrayList<>(List.of(args));
    if (dataDir != null) {
      argv.add(0, "--data-dir=" + dataDir);
    }
    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();
    final int code = TlCli.execute(argv.toArray(String[]::new), env, new PrintWriter(out), new PrintWriter(err));
    return new CliRun(code, out.toString(), err.toString());
  }

  public static CliRun run(final Path dataDir, final String... args) {
    return run(dataDir, Map.of(), args);
  }

  public static Path repositoryRoot() {
    for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
      if (d.resolve("genesis").resolve("devnet.json").toFile().isFile()) {
        return d;
      }
    }
    throw new IllegalStateException("tests must run inside the repository checkout");
  }
}
