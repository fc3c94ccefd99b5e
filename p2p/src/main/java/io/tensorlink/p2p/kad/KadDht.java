package io.tensorlink.p2p.kad;

import io.tensorlink.p2p.host.Connection;
import io.tensorlink.p2p.host.ConnectionListener;
import io.tensorlink.p2p.host.Host;
import io.tensorlink.p2p.host.IdentifyInfo;
import io.tensorlink.p2p.multiaddr.Multiaddr;
import io.tensorlink.p2p.peer.PeerId;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiPredicate;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Kademlia DHT node ({@code /ipfs/kad/1.0.0}, always in server mode): peer routing, value records
 * with validators, and provider records. Peers enter the routing table when identify shows they
 * serve the kad protocol, or when they answer one of our requests; they leave it when a request to
 * them fails. Every public operation is an iterative {@link Lookup}.
 *
 * <pre>{@code
 * KadDht dht = KadDht.attach(host, KadConfig.defaults());
 * dht.bootstrap(List.of(seedAddress)).join();
 * Optional<List<Multiaddr>> where = dht.findPeer(target).join();
 * dht.provide(KadDht.contentKey(chunk)).join();
 * List<KadPeer> who = dht.findProviders(KadDht.contentKey(chunk), 5).join();
 * }</pre>
 */
public final class KadDht implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KadDht.class);

  private final Host host;
  private final KadConfig config;
  private final RoutingTable table;
  private final AddressBook addresses = new AddressBook();
  private final KadStore store;
  private final Validators validators;
  private final KadRpc rpc;
  private final ConnectionListener listener;
  private final ScheduledExecutorService refresher;
  private final KadServer server;

  private KadDht(final Host host, final KadConfig config, final Clock clock) {
    this.host = host;
    this.config = config;
    this.table = new RoutingTable(host.peerId(), config.k());
    this.store = new KadStore(clock);
    this.validators = new Validators(config.validators());
    this.rpc = new KadRpc(host, config.protocol(), config.requestTimeout(), addresses);
    this.listener =
        new ConnectionListener() {
          @Override
          public void onIdentified(final Connection connection, final IdentifyInfo info) {
            if (info.supports(config.protocol())) {
              addresses.add(connection.remotePeer(), info.listenAddresses());
              table.add(connection.remotePeer(), KadDht.this::isConnected);
            }
          }
        };
    this.server = new KadServer(host.peerId(), table, addresses, store, validators, this::describe, clock);
    this.refresher =
        config.refreshInterval().isZero()
            ? null
            : Executors.newSingleThreadScheduledExecutor(
                r -> Thread.ofPlatform().daemon().name("kad-refresh-" + host.peerId()).unstarted(r));
  }

  /** Registers the protocol handler on {@code host} and starts following its connections. */
  public static KadDht attach(final Host host, final KadConfig config) {
    return attach(host, config, Clock.systemUTC());
  }

  static KadDht attach(final Host host, final KadConfig config, final Clock clock) {
    final KadDht dht = new KadDht(host, config, clock);
    host.addConnectionListener(dht.listener);
    dht.setMode(Mode.SERVER);
    for (final Connection c : host.connections()) {
      host.identifyInfo(c.remotePeer()).ifPresent(info -> dht.listener.onIdentified(c, info));
    }
    if (dht.refresher != null) {
      final long every = config.refreshInterval().toMillis();
      dht.refresher.scheduleAtFixedRate(dht::refreshQuietly, every, every, TimeUnit.MILLISECONDS);
    }
    return dht;
  }

  /** The key for content: its SHA-256 multihash (what js accepts as a provider key, a CIDv0). */
  public static byte[] contentKey(final byte[] content) {
    try {
      final byte[] digest = MessageDigest.getInstance("SHA-256").digest(content);
      final byte[] key = new byte[34];
      key[0] = 0x12;
      key[1] = 32;
      System.arraycopy(digest, 0, key, 2, 32);
      return key;
    } catch (final NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is always present", e);
    }
  }

  public int routingTableSize() {
    return table.size();
  }

  /** The routing table's peers with the addresses known for them: whom a node can dial to grow its connections. */
  public List<KadPeer> knownPeers() {
    return table.peers().stream().map(this::describe).toList();
  }

  /** Dials the seeds, adds them to the table and looks up our own ID to fill the nearby buckets. */
  public CompletableFuture<List<PeerId>> bootstrap(final List<Multiaddr> seeds) {
    final List<CompletableFuture<Void>> dials = new ArrayList<>();
    for (final Multiaddr seed : seeds) {
      final PeerId peer =
          seed.peerId().orElseThrow(() -> new IllegalArgumentException("bootstrap address " + seed + " has no /p2p/ id"));
      addresses.add(peer, List.of(seed));
      dials.add(
          host.dial(seed)
              .thenAccept(c -> table.add(peer, this::isConnected))
              .exceptionally(
                  e -> {
                    LOG.warn("kad bootstrap peer {} unreachable: {}", seed, e.getMessage());
                    return null;
                  }));
    }
    return CompletableFuture.allOf(dials.toArray(CompletableFuture[]::new))
        .thenCompose(v -> closestPeers(host.peerId().bytes()));
  }

  /** The k peers closest to {@code key} that answered a FIND_NODE lookup. */
  public CompletableFuture<List<PeerId>> closestPeers(final byte[] key) {
    return lookup(KadMessage.request(KadMessage.Type.FIND_NODE, key), (p, r) -> false);
  }

  /**
   * Addresses of {@code peer}: what we already know when connected to it (its identify listen
   * addresses), otherwise the result of a FIND_NODE lookup.
   */
  public CompletableFuture<Optional<List<Multiaddr>>> findPeer(final PeerId peer) {
    if (isConnected(peer) && !addresses.get(peer).isEmpty()) {
      return CompletableFuture.completedFuture(Optional.of(addresses.get(peer)));
    }
    final AtomicReference<List<Multiaddr>> found = new AtomicReference<>();
    return lookup(
            KadMessage.request(KadMessage.Type.FIND_NODE, peer.bytes()),
            (from, r) -> {
              for (final KadPeer p : r.closerPeers()) {
                if (p.id().equals(peer) && !p.addresses().isEmpty()) {
                  found.compareAndSet(null, p.addresses());
                }
              }
              return found.get() != null || from.equals(peer);
            })
        .thenApply(closest -> Optional.ofNullable(found.get()).or(() -> known(peer, closest)));
  }

  private Optional<List<Multiaddr>> known(final PeerId peer, final List<PeerId> answered) {
    return answered.contains(peer) ? Optional.of(addresses.get(peer)) : Optional.empty();
  }

  /** Validates and stores a record here and on the k closest peers; completes with how many took it. */
  public CompletableFuture<Integer> putValue(final byte[] key, final byte[] value) {
    validators.validate(key, value);
    final KadRecord record = new KadRecord(key, value, "");
    store.putRecord(record);
    final KadMessage put = new KadMessage(KadMessage.Type.PUT_VALUE, key, Optional.of(record), List.of(), List.of());
    return closestPeers(key).thenCompose(peers -> countSuccesses(peers, p -> rpc.ask(p, put)));
  }

  /** The best valid value for {@code key} among ours and up to {@code valueQuorum} found remotely. */
  public CompletableFuture<Optional<byte[]>> getValue(final byte[] key) {
    final List<byte[]> values = java.util.Collections.synchronizedList(new ArrayList<>());
    store.record(key).ifPresent(r -> values.add(r.value()));
    return lookup(
            KadMessage.request(KadMessage.Type.GET_VALUE, key),
            (from, r) -> {
              r.record().ifPresent(rec -> acceptValue(from, key, rec, values));
              return values.size() >= config.valueQuorum();
            })
        .thenApply(
            ignored -> {
              synchronized (values) {
                return values.isEmpty() ? Optional.empty() : Optional.of(values.get(validators.select(key, values)));
              }
            });
  }

  private void acceptValue(final PeerId from, final byte[] key, final KadRecord record, final List<byte[]> values) {
    try {
      if (!java.util.Arrays.equals(record.key(), key)) {
        throw new io.tensorlink.p2p.util.MalformedInputException("record key differs from the requested key");
      }
      validators.validate(key, record.value());
      values.add(record.value());
    } catch (final IllegalArgumentException e) {
      LOG.warn("kad: invalid record from {} dropped: {}", from, e.getMessage());
    }
  }

  /** Announces this node as a provider of {@code key} to the k closest peers (and itself). */
  public CompletableFuture<Integer> provide(final byte[] key) {
    store.addProvider(key, host.peerId());
    final KadMessage add =
        new KadMessage(KadMessage.Type.ADD_PROVIDER, key, Optional.empty(), List.of(), List.of(describe(host.peerId())));
    return closestPeers(key).thenCompose(peers -> countSuccesses(peers, p -> rpc.tell(p, add)));
  }

  /** Up to {@code max} providers of {@code key} with their addresses (ours first if we provide it). */
  public CompletableFuture<List<KadPeer>> findProviders(final byte[] key, final int max) {
    final Set<PeerId> found = ConcurrentHashMap.newKeySet();
    found.addAll(store.providers(key));
    final CompletableFuture<List<PeerId>> search =
        found.size() >= max
            ? CompletableFuture.completedFuture(List.of())
            : lookup(
                KadMessage.request(KadMessage.Type.GET_PROVIDERS, key),
                (from, r) -> {
                  for (final KadPeer p : r.providerPeers()) {
                    addresses.add(p.id(), p.addresses());
                    found.add(p.id());
                  }
                  return found.size() >= max;
                });
    return search.thenApply(ignored -> found.stream().limit(max).map(this::describe).toList());
  }

  /** Looks up a random key in every bucket up to the deepest occupied one (at most 16). */
  public CompletableFuture<Void> refresh() {
    final KadKey self = KadKey.of(host.peerId());
    final RandomGenerator random = RandomGenerator.getDefault();
    final List<CompletableFuture<List<PeerId>>> lookups = new ArrayList<>();
    for (int prefix = 0; prefix <= Math.min(table.deepestBucket(), 15); prefix++) {
      lookups.add(closestPeers(keyInBucket(self, prefix, random)));
    }
    return CompletableFuture.allOf(lookups.toArray(CompletableFuture[]::new));
  }

  /**
   * A random multihash-shaped key whose SHA-256 shares exactly {@code prefix} bits with {@code self}.
   * Hashes cannot be inverted, so this draws keys until one lands in the bucket: 2^(prefix+1) tries
   * on average, at most ~65k SHA-256s for the 16 buckets refreshed.
   */
  static byte[] keyInBucket(final KadKey self, final int prefix, final RandomGenerator random) {
    final byte[] key = new byte[34];
    key[0] = 0x12;
    key[1] = 32;
    final byte[] digest = new byte[32];
    while (true) {
      random.nextBytes(digest);
      System.arraycopy(digest, 0, key, 2, 32);
      if (self.commonPrefixLength(KadKey.of(key)) == prefix) {
        return key;
      }
    }
  }

  private void refreshQuietly() {
    refresh().exceptionally(
        e -> {
          LOG.debug("kad refresh failed: {}", e.getMessage());
          return null;
        });
  }

  private CompletableFuture<List<PeerId>> lookup(final KadMessage request, final BiPredicate<PeerId, KadMessage> onResponse) {
    final KadKey target = KadKey.of(request.key());
    final Lookup lookup =
        new Lookup(
            host.peerId(),
            target,
            config.k(),
            config.alpha(),
            table.closest(target, config.k()),
            peer -> rpc.ask(peer, request).thenApply(response -> learn(peer, response)),
            onResponse,
            this::dropPeer);
    return lookup.run();
  }

  private KadMessage learn(final PeerId peer, final KadMessage response) {
    table.add(peer, this::isConnected);
    for (final KadPeer p : response.closerPeers()) {
      addresses.add(p.id(), p.addresses());
    }
    return response;
  }

  private void dropPeer(final PeerId peer) {
    LOG.debug("kad: {} failed to answer; removed from the routing table", peer);
    table.remove(peer);
  }

  private <T> CompletableFuture<Integer> countSuccesses(
      final List<PeerId> peers, final java.util.function.Function<PeerId, CompletableFuture<T>> send) {
    final List<CompletableFuture<Boolean>> sends =
        peers.stream().map(p -> send.apply(p).handle((ok, e) -> e == null)).toList();
    return CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new))
        .thenApply(v -> (int) sends.stream().filter(CompletableFuture::join).count());
  }

  private boolean isConnected(final PeerId peer) {
    return host.connection(peer).map(Connection::isOpen).orElse(false);
  }

  private KadPeer describe(final PeerId peer) {
    if (peer.equals(host.peerId())) {
      return new KadPeer(peer, host.listenAddresses().stream().filter(AddressBook::isDialable).toList(), KadPeer.ConnectionType.CONNECTED);
    }
    return new KadPeer(
        peer, addresses.get(peer), isConnected(peer) ? KadPeer.ConnectionType.CONNECTED : KadPeer.ConnectionType.NOT_CONNECTED);
  }

  /**
   * SERVER answers requests and is advertised (identify lists the protocol, so peers put us in
   * their tables); CLIENT only asks. A node that AutoNAT finds PRIVATE should be a client: peers
   * could not dial it back, and a table full of unreachable entries slows every lookup.
   */
  public enum Mode {
    SERVER,
    CLIENT
  }

  /** Switches mode; connected peers learn of it through an identify push. */
  public void setMode(final Mode mode) {
    if (mode == Mode.SERVER) {
      host.setStreamHandler(config.protocol(), server);
    } else {
      host.removeStreamHandler(config.protocol());
    }
  }

  RoutingTable routingTable() {
    return table;
  }

  /** Stops answering and refreshing; the host stays up. */
  @Override
  public void close() {
    host.removeStreamHandler(config.protocol());
    host.removeConnectionListener(listener);
    if (refresher != null) {
      refresher.shutdownNow();
    }
  }
}
