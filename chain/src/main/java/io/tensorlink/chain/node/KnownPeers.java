package io.tensorlink.chain.node;

import io.tensorlink.p2p.multiaddr.Multiaddr;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The peers a node knew, kept in its data dir ({@code known-peers}, one dialable multiaddr with its
 * {@code /p2p/} suffix per line) so that a restarted node dials them again besides its bootstrap
 * peers: a node that was itself everyone's bootstrap peer, restarted on a new port, would otherwise
 * come back alone.
 */
final class KnownPeers {
  private static final Logger LOG = LoggerFactory.getLogger(KnownPeers.class);
  /** At most this many are kept: enough to rejoin, bounded whatever the network's size. */
  static final int MAX = 64;

  private final Path file;

  KnownPeers(final Path dataDir) {
    this.file = dataDir.resolve("known-peers");
  }

  /** The saved peers; a line that is not a multiaddr with a peer ID is skipped with a warning. */
  List<Multiaddr> load() {
    if (!Files.exists(file)) {
      return List.of();
    }
    final List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      LOG.warn("cannot read {}: {}; starting from the bootstrap peers only", file, e.getMessage());
      return List.of();
    }
    final List<Multiaddr> out = new ArrayList<>();
    for (final String line : lines) {
      if (line.isBlank() || out.size() == MAX) {
        continue;
      }
      try {
        final Multiaddr a = Multiaddr.parse(line.strip());
        if (a.peerId().isEmpty()) {
          throw new IllegalArgumentException("no /p2p/<peer id>");
        }
        out.add(a);
      } catch (RuntimeException e) {
        LOG.warn("{}: skipped '{}': {}", file, line, e.getMessage());
      }
    }
    return out;
  }

  /** Replaces the saved peers (the first {@link #MAX}); written to a temporary file and moved, so a crash leaves the old list. */
  void save(final Collection<Multiaddr> peers) {
    final StringBuilder text = new StringBuilder();
    peers.stream().limit(MAX).forEach(p -> text.append(p).append('\n'));
    final Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try {
      Files.writeString(tmp, text, StandardCharsets.UTF_8);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot save the known peers to " + file, e);
    }
  }
}
