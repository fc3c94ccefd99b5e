package io.tensorlink.p2p.relay;

import java.time.Duration;

/**
 * Limits of a relay that serves others (defaults follow go-libp2p's relay v2 resources).
 *
 * @param reservationTtl how long a reservation lasts (refresh before it ends)
 * @param maxReservations reservations held at once; further new ones are refused
 * @param maxCircuits circuits relayed at once in total
 * @param maxCircuitsPerPeer circuits at once to or from one peer
 * @param circuitDuration a circuit is reset after this long
 * @param circuitData a circuit is reset after this many bytes in either direction
 * @param stopTimeout how long the target may take to accept a circuit
 */
public record RelayConfig(
    Duration reservationTtl,
    int maxReservations,
    int maxCircuits,
    int maxCircuitsPerPeer,
    Duration circuitDuration,
    long circuitData,
    Duration stopTimeout) {
  public RelayConfig {
    if (maxReservations <= 0 || maxCircuits <= 0 || maxCircuitsPerPeer <= 0 || circuitData <= 0) {
      throw new IllegalArgumentException("relay limits must be positive");
    }
    if (reservationTtl.toSeconds() <= 0 || circuitDuration.toSeconds() <= 0 || stopTimeout.isNegative() || stopTimeout.isZero()) {
      throw new IllegalArgumentException("relay durations must be at least a second");
    }
  }

  public static RelayConfig defaults() {
    return new RelayConfig(Duration.ofHours(1), 128, 256, 16, Duration.ofMinutes(2), 128 * 1024, Duration.ofSeconds(30));
  }

  CircuitMessage.Limit limit() {
    return new CircuitMessage.Limit(circuitDuration.toSeconds(), circuitData);
  }
}
