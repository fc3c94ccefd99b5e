package io.tensorlink.chain.job.data;

import io.tensorlink.p2p.kad.KadDht;
import io.tensorlink.p2p.kad.KadPeer;
import io.tensorlink.p2p.multiaddr.Multiaddr;
import io.tensorlink.p2p.peer.PeerId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Provider records for job datasets on the DHT, so a worker finds every peer that serves a job's
 * chunks, not only the client that announced it. The record's key is the SHA-256 multihash of the
 * dataset's {@link ChunkIndex#hash()} (what the job announcement signs): whoever holds chunks of
 * that index provides it. Nothing found is trusted: {@link ChunkFetcher} checks every chunk against
 * the index and moves on from a provider that serves a wrong one.
 */
public final class DataProviders {
  private static final Logger LOG = LoggerFactory.getLogger(DataProviders.class);
  /** Providers asked of the DHT per lookup (a lookup stops once it has this many). */
  static final int MAX_PROVIDERS = 20;

  private final Optional<KadDht> dht;
  private final PeerId self;
  private final Duration lookupTimeout;

  public DataProviders(final Optional<KadDht> dht, final PeerId self, final Duration lookupTimeout) {
    this.dht = dht;
    this.self = self;
    this.lookupTimeout = lookupTimeout;
  }

  /** Announces nothing and finds only the providers the caller knows. */
  public static DataProviders withoutDht(final PeerId self) {
    return new DataProviders(Optional.empty(), self, Duration.ofSeconds(1));
  }

  /** The provider key of {@code index}'s dataset. */
  public static byte[] key(final ChunkIndex index) {
    return KadDht.contentKey(index.hash().toArrayUnsafe());
  }

  /** Announces this node as a provider of {@code index}'s chunks (in the background; failures are logged). */
  public void provide(final ChunkIndex index) {
    dht.ifPresent(d -> d.provide(key(index)).whenComplete((peers, e) -> {
      if (e != null) {
        LOG.warn("announcing the provider record of dataset index {} failed: {}", index.hash(), e.getMessage());
      } else {
        LOG.info("provider record of dataset index {} stored on {} peers", index.hash(), peers);
      }
    }));
  }

  /**
   * Where {@code index}'s chunks can be fetched: {@code known} (e.g. the announcing client) first,
   * then the providers the DHT names, one address each with its {@code /p2p/<id>}, without this node
   * and without duplicates. Providers whose addresses nobody told us are left out (they cannot be
   * dialled); a failed or slow lookup leaves {@code known}.
   */
  public List<Multiaddr> find(final ChunkIndex index, final List<Multiaddr> known) {
    final List<Multiaddr> out = new ArrayList<>();
    final Set<PeerId> seen = new HashSet<>();
    seen.add(self);
    for (final Multiaddr a : known) {
      if (a.peerId().map(seen::add).orElse(true)) {
        out.add(a);
      }
    }
    if (dht.isEmpty()) {
      return out;
    }
    final List<KadPeer> found;
    try {
      found = dht.get().findProviders(key(index), MAX_PROVIDERS).orTimeout(lookupTimeout.toMillis(), TimeUnit.MILLISECONDS)
          .join();
    } catch (RuntimeException e) {
      LOG.warn("looking up the providers of dataset index {} failed: {}", index.hash(), e.getMessage());
      return out;
    }
    for (final KadPeer p : found) {
      if (!p.addresses().isEmpty() && seen.add(p.id())) {
        out.add(p.addresses().get(0).withPeerId(p.id()));
      }
    }
    LOG.info("dataset index {}: {} providers ({} from the DHT)", index.hash(), out.size(), found.size());
    return out;
  }
}
