package io.tensorlink.chain.job.data;

import io.tensorlink.chain.pol.wire.BulkExchange;
import io.tensorlink.chain.pol.wire.WireException;
import io.tensorlink.compute.data.BatchPlan;
import io.tensorlink.p2p.host.Host;
import io.tensorlink.p2p.multiaddr.Multiaddr;
import io.tensorlink.p2p.protocol.tensor.BulkChannel;
import io.tensorlink.p2p.protocol.tensor.BulkLimits;
import io.tensorlink.p2p.protocol.tensor.TensorLinkProtocols;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.apache.tuweni.bytes.Bytes32;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker side of {@code /tl/data/1.0.0}: fetches the chunks a replica's BatchPlan needs from
 * the job's providers (the client and the peers {@link DataProviders} finds) and checks every chunk's
 * hash against the announced {@link ChunkIndex}. Chunk {@code c} is asked of provider {@code c mod n}
 * first and then of the others in turn, so the load spreads over the providers. A chunk that fails
 * (wrong hash, wrong size, refusal, dial or stream failure, timeout) is logged with its reason and
 * asked of the next provider; when every provider failed, {@link ChunkFetchException} names the
 * chunk and each provider's reason.
 */
public final class ChunkFetcher {
  private static final Logger LOG = LoggerFactory.getLogger(ChunkFetcher.class);

  private final Host host;
  private final BigInteger jobId;
  private final ChunkIndex index;
  private final List<Multiaddr> providers;
  private final Duration timeout;

  /** @param providers dialable addresses with {@code /p2p/<id>}, chunk c asked first of the (c mod n)-th */
  public ChunkFetcher(final Host host, final BigInteger jobId, final ChunkIndex index, final List<Multiaddr> providers,
      final Duration timeout) {
    if (providers.isEmpty()) {
      throw new IllegalArgumentException("job " + jobId + " has no data provider to fetch from");
    }
    this.host = host;
    this.jobId = jobId;
    this.index = index;
    this.providers = List.copyOf(providers);
    this.timeout = timeout;
  }

  /** Fetches what {@code replica} reads in global steps [fromStep, toStep) and returns it as a dataset. */
  public FetchedDataset fetchFor(final BatchPlan plan, final int replica, final long fromStep, final long toStep) {
    final Set<Integer> needed = index.chunksFor(plan, replica, fromStep, toStep);
    LOG.info("job {}: replica {} needs {} of {} chunks for steps [{}, {})", jobId, replica, needed.size(),
        index.chunkCount(), fromStep, toStep);
    return new FetchedDataset("job " + jobId + " data", index, fetch(needed));
  }

  /** Fetches every chunk (a validator's or a job context's whole dataset). */
  public FetchedDataset fetchAll() {
    final Set<Integer> all = new java.util.TreeSet<>();
    for (int c = 0; c < index.chunkCount(); c++) {
      all.add(c);
    }
    return new FetchedDataset("job " + jobId + " data", index, fetch(all));
  }

  /** Fetches and checks {@code chunks}. */
  public Map<Integer, Chunk> fetch(final Set<Integer> chunks) {
    final Map<Integer, Chunk> out = new TreeMap<>();
    for (final int c : chunks) {
      out.put(c, fetchOne(c));
    }
    return out;
  }

  private Chunk fetchOne(final int c) {
    if (c < 0 || c >= index.chunkCount()) {
      throw new IllegalArgumentException("job " + jobId + " has chunks 0.." + (index.chunkCount() - 1) + ", not " + c);
    }
    final List<String> failures = new ArrayList<>();
    for (int i = 0; i < providers.size(); i++) {
      final Multiaddr provider = providers.get((c + i) % providers.size());
      try {
        final Chunk chunk = ask(provider, c);
        final Bytes32 expected = index.hashes().get(c);
        if (!chunk.hash().equals(expected)) {
          throw new IllegalStateException("hash mismatch: got " + chunk.hash() + ", the index says " + expected);
        }
        return chunk;
      } catch (RuntimeException e) {
        final String reason = reason(e);
        LOG.warn("job {}: rejected chunk {} from {}: {}", jobId, c, provider, reason);
        failures.add(provider + ": " + reason);
      }
    }
    throw new ChunkFetchException("job " + jobId + ": no provider delivered chunk " + c + " with its indexed hash ("
        + String.join("; ", failures) + ")");
  }

  private Chunk ask(final Multiaddr provider, final int c) {
    final BulkLimits limits = new BulkLimits(DataMessages.MAX_META, BulkChannel.CHUNK_SIZE * 4,
        Math.max(1, index.payloadBytes(c)));
    final BulkExchange.Answer answer = host.dial(provider)
        .thenCompose(conn -> conn.newStream(TensorLinkProtocols.DATA))
        .thenCompose(stream -> stream.resetUnlessAnswered(
            BulkExchange.ask(stream, DataMessages.encode(new DataMessages.Request(jobId, c)), limits), timeout))
        .orTimeout(timeout.toMillis() * 2, TimeUnit.MILLISECONDS)
        .join();
    final DataMessages.Answer meta;
    try {
      meta = DataMessages.decodeAnswer(answer.metadata());
    } catch (WireException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
    if (meta.status() != DataMessages.OK) {
      throw new IllegalStateException("refused: " + meta.reason());
    }
    return Chunk.received(c, answer.payload(), index);
  }

  private static String reason(final Throwable e) {
    Throwable t = e;
    while (t instanceof CompletionException && t.getCause() != null) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }
}
