package io.tensorlink.e2e;

import java.nio.file.Path;

/** The repository checkout the tests run in. */
final class Repo {
  private Repo() {}

  static Path root() {
    for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
      if (d.resolve("tl").toFile().canExecute() && d.resolve("genesis").toFile().isDirectory()) {
        return d;
      }
    }
    throw new IllegalStateException("tests must run inside the repository checkout");
  }
}
