package io.tensorlink.chain.node;

import java.time.Duration;
import java.util.Objects;

/**
 * How a node finds peers and makes itself reachable ({@link NodeNetwork}).
 *
 * @param dht whether the node runs the Kademlia DHT, and whether it answers requests (SERVER) or
 *     only asks (CLIENT, for a node others cannot dial)
 * @param peersTarget while fewer peers are connected, the node dials peers the DHT found
 * @param walkEvery how often the node checks its peer count and, below the target, walks a random
 *     key and dials what it found (the DHT refreshes its whole table every 10 min besides)
 * @param reachability AUTO asks peers to dial it back (AutoNAT); PUBLIC or PRIVATE state it
 * @param relayService whether the node relays circuits for others (circuit relay v2 hop)
 */
public record NetworkSettings(DhtMode dht, int peersTarget, Duration walkEvery, ReachabilityMode reachability,
    boolean relayService) {

  public enum DhtMode {
    SERVER,
    CLIENT,
    OFF
  }

  public enum ReachabilityMode {
    AUTO,
    PUBLIC,
    PRIVATE
  }

  public NetworkSettings {
    Objects.requireNonNull(dht, "dht");
    Objects.requireNonNull(reachability, "reachability");
    if (peersTarget < 0) {
      throw new IllegalArgumentException("the peers target must be >= 0, got " + peersTarget);
    }
    if (walkEvery.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new IllegalArgumentException("the DHT walk interval must be at least 1 s, got " + walkEvery);
    }
  }

  /** What {@code tl-cli node start} runs unless told otherwise. */
  public static NetworkSettings defaults() {
    return new NetworkSettings(DhtMode.SERVER, 20, Duration.ofSeconds(30), ReachabilityMode.AUTO, false);
  }

  /** Only the bootstrap list: no DHT, no reachability probes, no relay (in-process tests). */
  public static NetworkSettings bootstrapOnly() {
    return new NetworkSettings(DhtMode.OFF, 0, Duration.ofSeconds(30), ReachabilityMode.PUBLIC, false);
  }
}
