package io.tensorlink.chain.job.data;

import io.netty.buffer.Unpooled;
import io.tensorlink.chain.pol.wire.BulkExchange;
import io.tensorlink.chain.pol.wire.WireException;
import io.tensorlink.compute.data.Dataset;
import io.tensorlink.compute.data.DatasetException;
import io.tensorlink.p2p.host.Host;
import io.tensorlink.p2p.protocol.tensor.BulkChannel;
import io.tensorlink.p2p.protocol.tensor.BulkLimits;
import io.tensorlink.p2p.protocol.tensor.TensorLinkProtocols;
import java.math.BigInteger;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The provider side of {@code /tl/data/1.0.0}: serves the chunks of the datasets registered with
 * {@link #serve}, one request per stream: the client's whole dataset, or a worker's
 * {@link FetchedDataset} (then only the chunks it holds). Chunks are read from the dataset on demand (on {@code
 * executor}, never on the connection's event loop); an unknown job or chunk is answered
 * {@link DataMessages#UNAVAILABLE} with the reason.
 */
public final class DataServer {
  private static final Logger LOG = LoggerFactory.getLogger(DataServer.class);
  private static final BulkLimits REQUEST_LIMITS = new BulkLimits(DataMessages.MAX_META, 1024, 1024);

  private final Map<BigInteger, Served> served = new ConcurrentHashMap<>();
  private final DataProviders providers;

  private record Served(Dataset dataset, ChunkIndex index) {}

  private DataServer(final DataProviders providers) {
    this.providers = providers;
  }

  /** Registers the protocol handler on {@code host}; served datasets are not announced on a DHT. */
  public static DataServer register(final Host host, final Executor executor) {
    return register(host, executor, DataProviders.withoutDht(host.peerId()));
  }

  /** Registers the protocol handler on {@code host}; each served dataset is announced through {@code providers}. */
  public static DataServer register(final Host host, final Executor executor, final DataProviders providers) {
    final DataServer server = new DataServer(providers);
    BulkExchange.serve(host, TensorLinkProtocols.DATA, REQUEST_LIMITS, executor, server::answer);
    return server;
  }

  /** Serves {@code dataset}'s chunks for {@code jobId}; {@code index} must be this dataset's. */
  public void serve(final BigInteger jobId, final Dataset dataset, final ChunkIndex index) {
    if (dataset.size() != index.datasetSize()) {
      throw new IllegalArgumentException("dataset " + dataset.name() + " has " + dataset.size()
          + " samples, the index " + index.datasetSize());
    }
    served.put(jobId, new Served(dataset, index));
    providers.provide(index);
  }

  public void stop(final BigInteger jobId) {
    served.remove(jobId);
  }

  private void answer(final BulkChannel channel, final byte[] metadata) {
    final DataMessages.Request request;
    try {
      request = DataMessages.decodeRequest(metadata);
    } catch (WireException e) {
      LOG.debug("data: malformed request from {}: {}", channel.stream().remotePeer(), e.getMessage());
      channel.stream().reset();
      return;
    }
    final Served s = served.get(request.jobId());
    if (s == null || request.chunk() >= s.index().chunkCount()) {
      final String why = s == null ? "no data served for job " + request.jobId()
          : "job " + request.jobId() + " has " + s.index().chunkCount() + " chunks, not " + (request.chunk() + 1);
      channel.send(DataMessages.encode(new DataMessages.Answer(DataMessages.UNAVAILABLE, why)), Unpooled.EMPTY_BUFFER);
    } else {
      final Chunk chunk;
      try {
        chunk = Chunk.read(s.dataset(), s.index().samplesPerChunk(), request.chunk());
      } catch (DatasetException e) {
        // A peer re-serving what it fetched (a FetchedDataset) does not hold every chunk.
        channel.send(DataMessages.encode(new DataMessages.Answer(DataMessages.UNAVAILABLE, e.getMessage())),
            Unpooled.EMPTY_BUFFER);
        channel.close();
        return;
      }
      channel.send(DataMessages.encode(new DataMessages.Answer(DataMessages.OK, "")),
          Unpooled.wrappedBuffer(chunk.payload()));
    }
    channel.close();
  }
}
