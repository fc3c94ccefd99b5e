package io.tensorlink.contracts.devnet;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/** Finds the anvil executable installed by {@code ./tl setup} from npm. */
public final class AnvilBinary {
  /** Environment variable that names an anvil executable explicitly. */
  public static final String ENV_OVERRIDE = "TL_ANVIL";

  static final Path RELATIVE =
      Path.of("contracts", "node_modules", "@foundry-rs", "anvil-linux-amd64", "bin", "anvil");

  private AnvilBinary() {}

  /**
   * Resolves anvil: {@code $TL_ANVIL} when set, else the npm install under {@code contracts/} of
   * {@code startDir} or one of its parents.
   */
  public static Path locate(final Path startDir, final Map<String, String> env) {
    final String override = env.get(ENV_OVERRIDE);
    if (override != null && !override.isBlank()) {
      final Path p = Path.of(override);
      if (!Files.isExecutable(p)) {
        throw new AnvilException(ENV_OVERRIDE + "=" + override + " is not an executable file");
      }
      return p;
    }
    return find(startDir)
        .orElseThrow(
            () ->
                new AnvilException(
                    "anvil not found under "
                        + startDir.toAbsolutePath()
                        + " or its parents ("
                        + RELATIVE
                        + "); run ./tl setup, or set "
                        + ENV_OVERRIDE));
  }

  /** The npm-installed anvil under {@code startDir} or a parent, if there is one. */
  public static Optional<Path> find(final Path startDir) {
    for (Path d = startDir.toAbsolutePath(); d != null; d = d.getParent()) {
      final Path candidate = d.resolve(RELATIVE);
      if (Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }
}
