package io.tensorlink.monero.regtest;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where monerod and monero-wallet-rpc live: {@code $TL_MONERO_BIN} if set, else the {@code PATH}
 * (Debian's {@code monero} package puts them in /usr/bin).
 */
public record MoneroBinaries(Path monerod, Path walletRpc) {
  public static final String ENV = "TL_MONERO_BIN";
  public static final String INSTALL_HINT = "install Debian's monero package (apt-get install monero)"
      + " or set " + ENV + " to the folder holding monerod and monero-wallet-rpc";

  public static Optional<MoneroBinaries> find() {
    final String dir = System.getenv(ENV);
    final String path = dir != null ? dir : System.getenv().getOrDefault("PATH", "");
    Path d = null;
    Path w = null;
    for (final String entry : path.split(File.pathSeparator)) {
      if (entry.isEmpty()) {
        continue;
      }
      final Path candidateD = Path.of(entry, "monerod");
      final Path candidateW = Path.of(entry, "monero-wallet-rpc");
      if (d == null && Files.isExecutable(candidateD)) {
        d = candidateD;
      }
      if (w == null && Files.isExecutable(candidateW)) {
        w = candidateW;
      }
    }
    return d != null && w != null ? Optional.of(new MoneroBinaries(d, w)) : Optional.empty();
  }

  public static MoneroBinaries require() {
    return find().orElseThrow(() -> new IllegalStateException("monerod/monero-wallet-rpc not found: " + INSTALL_HINT));
  }
}
