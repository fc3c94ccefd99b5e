package io.tensorlink.p2p.kad;

import java.time.Duration;
import java.util.Map;

/**
 * DHT settings.
 *
 * @param protocol the stream protocol id ({@code /ipfs/kad/1.0.0}, what js and go speak by default)
 * @param k bucket size and replication factor (20 in the spec)
 * @param alpha queries in flight per lookup (the spec's α; 3 in the Kademlia paper)
 * @param requestTimeout how long one peer may take to answer one request
 * @param valueQuorum a GET_VALUE lookup stops after this many valid values
 * @param refreshInterval how often random lookups refresh the table (ZERO disables)
 * @param validators record validators by namespace ({@code /pk/} is always added)
 */
public record KadConfig(
    String protocol,
    int k,
    int alpha,
    Duration requestTimeout,
    int valueQuorum,
    Duration refreshInterval,
    Map<String, RecordValidator> validators) {
  public static final String DEFAULT_PROTOCOL = "/ipfs/kad/1.0.0";

  public KadConfig {
    validators = Map.copyOf(validators);
    if (k <= 0 || alpha <= 0 || valueQuorum <= 0) {
      throw new IllegalArgumentException("k, alpha and valueQuorum must be positive");
    }
    if (requestTimeout.isNegative() || requestTimeout.isZero() || refreshInterval.isNegative()) {
      throw new IllegalArgumentException("requestTimeout must be positive and refreshInterval not negative");
    }
  }

  public static KadConfig defaults() {
    return new KadConfig(DEFAULT_PROTOCOL, 20, 3, Duration.ofSeconds(10), 3, Duration.ofMinutes(10), Map.of());
  }

  public KadConfig withValidator(final String namespace, final RecordValidator validator) {
    final java.util.HashMap<String, RecordValidator> all = new java.util.HashMap<>(validators);
    all.put(namespace, validator);
    return new KadConfig(protocol, k, alpha, requestTimeout, valueQuorum, refreshInterval, all);
  }

  public KadConfig withRefreshInterval(final Duration value) {
    return new KadConfig(protocol, k, alpha, requestTimeout, valueQuorum, value, validators);
  }
}
