package io.tensorlink.cli.config;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Every setting tl-cli knows. A key not listed here is an error wherever it appears. */
public final class ConfigKeys {
  private static final Set<String> LOG_LEVELS = Set.of("trace", "debug", "info", "warn", "error", "off");

  public static final ConfigKey<String> LOG_LEVEL =
      new ConfigKey<>("log.level", "log level of the log file and console: trace|debug|info|warn|error|off", "info",
          ConfigKeys::logLevel);
  public static final ConfigKey<URI> RPC_URL =
      new ConfigKey<>("rpc.url", "JSON-RPC endpoint of the chain (default: the running devnet)", null, ConfigKeys::httpUrl);
  public static final ConfigKey<Integer> DEVNET_PORT =
      new ConfigKey<>("devnet.port", "port of the devnet RPC (default: genesis rpcPort)", null, s -> intIn(s, 1, 65535));
  public static final ConfigKey<Integer> P2P_PORT =
      new ConfigKey<>("p2p.port", "TCP port the node listens on for libp2p (0 = any)", "0", s -> intIn(s, 0, 65535));
  public static final ConfigKey<Integer> COMPUTE_THREADS =
      new ConfigKey<>("compute.threads", "CPU threads for training steps (default: all processors)", null, s -> intIn(s, 1, 1024));

  public static final ConfigKey<String> XMR_PAYOUT_ADDRESS =
      new ConfigKey<>("xmr.payout-address", "the worker's Monero payout address (standard 4… or subaddress 8…), checked", null,
          io.tensorlink.chain.xmr.MoneroAddress::check);
  public static final ConfigKey<Long> XMR_MIN_PAYOUT =
      new ConfigKey<>("xmr.min-payout", "smallest XMR payout the worker asks for (decimal XMR, e.g. 0.05)", "0",
          io.tensorlink.cli.xmr.XmrAmounts::parse);

  public static final List<ConfigKey<?>> ALL = List.of(LOG_LEVEL, RPC_URL, DEVNET_PORT, P2P_PORT, COMPUTE_THREADS,
      XMR_PAYOUT_ADDRESS, XMR_MIN_PAYOUT);

  private static final Map<String, ConfigKey<?>> BY_NAME =
      ALL.stream().collect(Collectors.toUnmodifiableMap(ConfigKey::name, Function.identity()));

  private ConfigKeys() {}

  public static Optional<ConfigKey<?>> byName(final String name) {
    return Optional.ofNullable(BY_NAME.get(name));
  }

  public static String names() {
    return ALL.stream().map(ConfigKey::name).sorted().collect(Collectors.joining(", "));
  }

  static String logLevel(final String raw) {
    final String level = raw.trim().toLowerCase(Locale.ROOT);
    if (!LOG_LEVELS.contains(level)) {
      throw new IllegalArgumentException("expected one of trace, debug, info, warn, error, off");
    }
    return level;
  }

  static URI httpUrl(final String raw) {
    final URI uri;
    try {
      uri = new URI(raw.trim());
    } catch (java.net.URISyntaxException e) {
      throw new IllegalArgumentException("not a URL: " + e.getReason());
    }
    if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
      throw new IllegalArgumentException("expected an http:// or https:// URL with a host");
    }
    return uri;
  }

  static int intIn(final String raw, final int min, final int max) {
    final int value;
    try {
      value = Integer.parseInt(raw.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not an integer");
    }
    if (value < min || value > max) {
      throw new IllegalArgumentException("must be between " + min + " and " + max);
    }
    return value;
  }
}
