package io.tensorlink.p2p.protocol.autonat;

import java.time.Duration;

/**
 * AutoNAT settings (the server's limits follow go-libp2p's defaults).
 *
 * @param perPeerPerWindow dial-back requests one peer may make per window
 * @param globalPerWindow dial-back requests served per window in total
 * @param window the rate-limit window
 * @param maxDialsPerRequest addresses tried per request, in the order given
 * @param dialTimeout one dial-back attempt (TCP + Noise + yamux)
 * @param requestTimeout how long a client waits for the server's answer
 */
public record AutoNatConfig(
    int perPeerPerWindow,
    int globalPerWindow,
    Duration window,
    int maxDialsPerRequest,
    Duration dialTimeout,
    Duration requestTimeout) {
  public AutoNatConfig {
    if (perPeerPerWindow <= 0 || globalPerWindow <= 0 || maxDialsPerRequest <= 0) {
      throw new IllegalArgumentException("autonat limits must be positive");
    }
    if (window.isNegative() || window.isZero() || dialTimeout.isNegative() || dialTimeout.isZero()) {
      throw new IllegalArgumentException("autonat window and dial timeout must be positive");
    }
  }

  public static AutoNatConfig defaults() {
    return new AutoNatConfig(3, 30, Duration.ofMinutes(1), 4, Duration.ofSeconds(10), Duration.ofSeconds(30));
  }
}
