package io.tensorlink.chain.job.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tensorlink.chain.pol.wire.WireException;
import io.tensorlink.compute.data.Batch;
import io.tensorlink.compute.data.BatchPlan;
import io.tensorlink.compute.data.Dataset;
import io.tensorlink.compute.data.DatasetException;
import io.tensorlink.compute.data.GeneratedData;
import io.tensorlink.p2p.host.Host;
import io.tensorlink.p2p.host.HostConfig;
import io.tensorlink.p2p.multiaddr.Multiaddr;
import io.tensorlink.p2p.transport.Hosts;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Chunks served and fetched over real libp2p hosts on loopback; every chunk's hash checked. */
class ChunkFetcherTest {
  static final BigInteger JOB = BigInteger.valueOf(7);
  static final Dataset DATA = GeneratedData.blobs(100, 4, 3, 2f, 11);
  static final ChunkIndex INDEX = ChunkIndex.of(DATA, 16);

  final List<Host> hosts = new ArrayList<>();
  final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
  Host client;
  Host liar;
  Host worker;

  @BeforeEach
  void start() {
    client = host();
    liar = host();
    worker = host();
    DataServer.register(client, executor).serve(JOB, DATA, INDEX);
    // Serves another dataset of the same layout under the honest index: every chunk has the wrong hash.
    DataServer.register(liar, executor).serve(JOB, GeneratedData.blobs(100, 4, 3, 2f, 12), INDEX);
  }

  @AfterEach
  void stop() {
    hosts.forEach(Host::close);
    executor.shutdownNow();
  }

  @Test
  void indexCoversTheDatasetAndRoundTrips() {
    assertThat(INDEX.chunkCount()).isEqualTo(7);
    assertThat(INDEX.sampleCount(6)).isEqualTo(4);
    assertThat(ChunkIndex.decode(INDEX.encode())).isEqualTo(INDEX);
    assertThat(ChunkIndex.of(GeneratedData.blobs(100, 4, 3, 2f, 12), 16).hashes()).doesNotContainAnyElementsOf(INDEX.hashes());
    assertThatThrownBy(() -> ChunkIndex.decode(INDEX.encode().slice(0, 40))).isInstanceOf(WireException.class);
    assertThatThrownBy(() -> new ChunkIndex(100, 16, List.of(4), 3, 1, INDEX.hashes().subList(0, 6)))
        .hasMessageContaining("has 7 chunks, the index lists 6");
  }

  @Test
  void fetchesOnlyThePlansChunksAndTheyHoldTheSameSamples() {
    final BatchPlan plan = new BatchPlan(100, 8, 2, 5, true);
    final FetchedDataset got = new ChunkFetcher(worker, JOB, INDEX, List.of(address(client)), Duration.ofSeconds(10))
        .fetchFor(plan, 1, 0, 2);
    final Set<Integer> needed = INDEX.chunksFor(plan, 1, 0, 2);
    assertThat(got.chunks()).isEqualTo(needed).hasSizeLessThan(INDEX.chunkCount());
    for (long step = 0; step < 2; step++) {
      final int[] idx = plan.indicesAtGlobalStep(step, 1);
      final Batch mine = got.batch(idx);
      final Batch theirs = DATA.batch(idx);
      assertThat(mine.inputs().data()).isEqualTo(theirs.inputs().data());
      assertThat(mine.labels()).isEqualTo(theirs.labels());
      assertThat(mine.inputs().shape()).isEqualTo(theirs.inputs().shape());
    }
    final int missing = firstSampleOfAChunkNotIn(needed);
    assertThatThrownBy(() -> got.batch(new int[] {missing})).isInstanceOf(DatasetException.class)
        .hasMessageContaining("was not fetched");
  }

  @Test
  void aChunkWithAWrongHashIsRejectedAndFetchedFromTheNextProvider() {
    final var chunks = new ChunkFetcher(worker, JOB, INDEX, List.of(address(liar), address(client)),
        Duration.ofSeconds(10)).fetch(Set.of(0, 3));
    assertThat(chunks.get(0).hash()).isEqualTo(INDEX.hashes().get(0));
    assertThat(chunks.get(3).hash()).isEqualTo(INDEX.hashes().get(3));
  }

  @Test
  void withOnlyALyingProviderTheFetchFailsNamingChunkAndReason() {
    final ChunkFetcher fetcher = new ChunkFetcher(worker, JOB, INDEX, List.of(address(liar)), Duration.ofSeconds(10));
    assertThatThrownBy(() -> fetcher.fetch(Set.of(2))).isInstanceOf(ChunkFetchException.class)
        .hasMessageContaining("chunk 2").hasMessageContaining("hash mismatch");
  }

  @Test
  void aWorkerReServesTheChunksItFetchedAndRefusesTheOthers() {
    final FetchedDataset held = new ChunkFetcher(worker, JOB, INDEX, List.of(address(client)), Duration.ofSeconds(10))
        .fetchFor(new BatchPlan(100, 8, 1, 5, false), 0, 0, 1);
    assertThat(held.chunks()).containsExactly(0);
    DataServer.register(worker, executor).serve(JOB, held, INDEX);
    final Host third = host();
    final var fromWorker = new ChunkFetcher(third, JOB, INDEX, List.of(address(worker)), Duration.ofSeconds(10))
        .fetch(Set.of(0));
    assertThat(fromWorker.get(0).hash()).isEqualTo(INDEX.hashes().get(0));
    assertThatThrownBy(() -> new ChunkFetcher(third, JOB, INDEX, List.of(address(worker)), Duration.ofSeconds(10))
        .fetch(Set.of(1))).isInstanceOf(ChunkFetchException.class).hasMessageContaining("which was not fetched");
    final var fallback = new ChunkFetcher(third, JOB, INDEX, List.of(address(worker), address(client)),
        Duration.ofSeconds(10)).fetch(Set.of(1));
    assertThat(fallback.get(1).hash()).isEqualTo(INDEX.hashes().get(1));
  }

  @Test
  void aProviderWithoutTheJobRefusesWithAReason() {
    final ChunkFetcher fetcher = new ChunkFetcher(worker, BigInteger.TWO, INDEX, List.of(address(client)),
        Duration.ofSeconds(10));
    assertThatThrownBy(() -> fetcher.fetch(Set.of(0))).isInstanceOf(ChunkFetchException.class)
        .hasMessageContaining("refused: no data served for job 2");
  }

  private static int firstSampleOfAChunkNotIn(final Set<Integer> chunks) {
    for (int c = 0; c < INDEX.chunkCount(); c++) {
      if (!chunks.contains(c)) {
        return INDEX.firstSample(c);
      }
    }
    throw new AssertionError("the plan touched every chunk");
  }

  private Host host() {
    final Host h = Hosts.create(HostConfig.loopback());
    h.start().orTimeout(10, TimeUnit.SECONDS).join();
    hosts.add(h);
    return h;
  }

  private static Multiaddr address(final Host h) {
    return h.listenAddresses().get(0).withPeerId(h.peerId());
  }
}
