package io.tensorlink.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a bash snippet in the repository root with a controlled environment. */
record Shell(int exitCode, String out, String err) {
  static Shell run(final Map<String, String> env, final String script) throws IOException, InterruptedException {
    final Path root = Repo.root();
    final ProcessBuilder pb = new ProcessBuilder(List.of("bash", "-c", script)).directory(root.toFile());
    pb.environment().remove("JAVA_HOME");
    pb.environment().remove("TL_JAVA_HOME");
    pb.environment().putAll(env);
    final Process p = pb.start();
    final var out = p.getInputStream();
    final var err = p.getErrorStream();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException("timed out: " + script);
    }
    return new Shell(p.exitValue(), new String(out.readAllBytes(), StandardCharsets.UTF_8),
        new String(err.readAllBytes(), StandardCharsets.UTF_8));
  }
}
