package io.tensorlink.chain.job.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.Unpooled;
import io.tensorlink.chain.pol.wire.BulkExchange;
import io.tensorlink.compute.data.Dataset;
import io.tensorlink.compute.data.GeneratedData;
import io.tensorlink.p2p.host.Host;
import io.tensorlink.p2p.host.HostConfig;
import io.tensorlink.p2p.kad.KadConfig;
import io.tensorlink.p2p.kad.KadDht;
import io.tensorlink.p2p.multiaddr.Multiaddr;
import io.tensorlink.p2p.protocol.tensor.BulkLimits;
import io.tensorlink.p2p.protocol.tensor.TensorLinkProtocols;
import io.tensorlink.p2p.transport.Hosts;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Dataset providers found through a Kademlia DHT of real hosts on loopback: a worker that knows only
 * a bootstrap peer finds the client and a second provider, and a provider that serves wrong chunks
 * is refused chunk by chunk while the fetch completes from the honest one. In one JVM on purpose:
 * the lookup and the fetch are the same code in a {@code tl-cli node start} process, which would add
 * a chain, a job announcement and an assignment to arrive at this call and nothing to what it checks.
 */
class DataProvidersTest {
  static final BigInteger JOB = BigInteger.valueOf(9);
  static final Dataset DATA = GeneratedData.blobs(100, 4, 3, 2f, 21);
  static final ChunkIndex INDEX = ChunkIndex.of(DATA, 16);
  static final Duration LOOKUP = Duration.ofSeconds(30);

  final List<AutoCloseable> closing = new ArrayList<>();
  final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

  @AfterEach
  void stop() throws Exception {
    for (int i = closing.size() - 1; i >= 0; i--) {
      closing.get(i).close();
    }
    executor.shutdownNow();
  }

  @Test
  void aWorkerFindsBothProvidersThroughTheDhtAndRefusesTheOneServingWrongChunks() {
    final Node seed = node(List.of());
    final Node client = node(List.of(seed.address()));
    final Node liar = node(List.of(seed.address()));
    final Node worker = node(List.of(seed.address()));

    DataServer.register(client.host, executor, providers(client)).serve(JOB, DATA, INDEX);
    // Answers every request OK with a chunk of the right size but other samples: each hash is wrong.
    final Dataset other = GeneratedData.blobs(100, 4, 3, 2f, 22);
    final AtomicInteger askedOfLiar = new AtomicInteger();
    BulkExchange.serve(liar.host, TensorLinkProtocols.DATA, new BulkLimits(DataMessages.MAX_META, 1024, 1024), executor,
        (channel, request) -> {
          final int chunk = DataMessages.decodeRequest(request).chunk();
          askedOfLiar.incrementAndGet();
          channel.send(DataMessages.encode(new DataMessages.Answer(DataMessages.OK, "")),
              Unpooled.wrappedBuffer(Chunk.read(other, INDEX.samplesPerChunk(), chunk).payload()));
          channel.close();
        });
    providers(liar).provide(INDEX);

    final DataProviders finder = providers(worker);
    final List<Multiaddr> found = waitForProviders(finder, 2);
    assertThat(found).extracting(a -> a.peerId().orElseThrow())
        .containsExactlyInAnyOrder(client.host.peerId(), liar.host.peerId());

    final FetchedDataset got = new ChunkFetcher(worker.host, JOB, INDEX, found, Duration.ofSeconds(20)).fetchAll();
    assertThat(got.chunks()).hasSize(INDEX.chunkCount());
    for (int c = 0; c < INDEX.chunkCount(); c++) {
      final int first = INDEX.firstSample(c);
      assertThat(got.batch(new int[] {first}).inputs().data()).isEqualTo(DATA.batch(new int[] {first}).inputs().data());
    }
    // Chunk c goes first to provider c mod 2: the liar was asked first for about half the chunks.
    assertThat(askedOfLiar.get()).isGreaterThanOrEqualTo(INDEX.chunkCount() / 2);

    final Multiaddr liarOnly = found.stream().filter(a -> a.peerId().orElseThrow().equals(liar.host.peerId()))
        .findFirst().orElseThrow();
    assertThatThrownBy(() -> new ChunkFetcher(worker.host, JOB, INDEX, List.of(liarOnly), Duration.ofSeconds(20))
        .fetchAll()).isInstanceOf(ChunkFetchException.class).hasMessageContaining("hash mismatch")
        .hasMessageContaining(liar.host.peerId().toBase58());
  }

  @Test
  void withoutADhtOnlyTheKnownProvidersAreReturnedWithoutDuplicatesOrSelf() {
    final Node a = node(List.of());
    final Node b = node(List.of());
    final DataProviders none = DataProviders.withoutDht(a.host.peerId());
    assertThat(none.find(INDEX, List.of(b.address(), b.address(), a.address()))).containsExactly(b.address());
    assertThat(DataProviders.key(INDEX)).hasSize(34).startsWith((byte) 0x12, (byte) 32)
        .isEqualTo(KadDht.contentKey(INDEX.hash().toArrayUnsafe()));
  }

  private List<Multiaddr> waitForProviders(final DataProviders finder, final int count) {
    final long deadline = System.nanoTime() + LOOKUP.toNanos();
    List<Multiaddr> found = finder.find(INDEX, List.of());
    // provide() stores its records in the background: look again until both have landed.
    while (found.size() < count && System.nanoTime() < deadline) {
      sleep(200);
      found = finder.find(INDEX, List.of());
    }
    return found;
  }

  private DataProviders providers(final Node n) {
    return new DataProviders(Optional.of(n.dht), n.host.peerId(), LOOKUP);
  }

  private record Node(Host host, KadDht dht) {
    Multiaddr address() {
      return host.listenAddresses().get(0).withPeerId(host.peerId());
    }
  }

  private Node node(final List<Multiaddr> bootstrap) {
    final Host h = Hosts.create(HostConfig.loopback());
    h.start().orTimeout(10, TimeUnit.SECONDS).join();
    closing.add(h);
    final KadDht dht = KadDht.attach(h, new KadConfig(KadConfig.DEFAULT_PROTOCOL, 20, 3, Duration.ofSeconds(10), 3,
        Duration.ZERO, Map.of()));
    closing.add(dht);
    dht.bootstrap(bootstrap).orTimeout(30, TimeUnit.SECONDS).join();
    return new Node(h, dht);
  }

  private static void sleep(final long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
