package io.tensorlink.chain.validator.p2p;

import io.netty.buffer.Unpooled;
import io.tensorlink.chain.pol.wire.BulkExchange;
import io.tensorlink.chain.pol.wire.RecordMessages;
import io.tensorlink.chain.pol.wire.RecordMessages.Request;
import io.tensorlink.chain.pol.wire.WireException;
import io.tensorlink.chain.store.NodeStore;
import io.tensorlink.chain.store.StoredEntry;
import io.tensorlink.p2p.host.Host;
import io.tensorlink.p2p.protocol.tensor.BulkLimits;
import io.tensorlink.p2p.protocol.tensor.TensorLinkProtocols;
import java.math.BigInteger;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.tuweni.bytes.Bytes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The answering side of {@code /tl/records/1.0.0}: a node gives peers that missed step records on
 * gossip the ones it holds. A validator holds those it received, a worker those it published
 * (docs/validator.md, Catching up). Requests are answered on the server's own thread, never on the
 * connection's event loop, so a peer asking much holds up nothing else.
 */
public final class RecordServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RecordServer.class);
  /** A request is a few dozen bytes of metadata and no payload. */
  private static final BulkLimits REQUEST_LIMITS = new BulkLimits(256, 1024, 1024);

  /** The records a node holds for steps [fromStep, toStep) of a job, each as it was gossiped. */
  @FunctionalInterface
  public interface HeldRecords {
    List<byte[]> records(BigInteger jobId, long fromStep, long toStep);

    /** The records in a node's store (RocksDB reads are thread-safe). */
    static HeldRecords in(final NodeStore store) {
      return (jobId, from, to) -> store.records(jobId, from, to).stream().map(StoredEntry::value).toList();
    }
  }

  private final Host host;
  private final ExecutorService answers = Executors.newSingleThreadExecutor(
      Thread.ofPlatform().name("record-requests").daemon().factory());

  private RecordServer(final Host host) {
    this.host = host;
  }

  /** Answers {@code /tl/records/1.0.0} on {@code host} from {@code held} until closed. */
  public static RecordServer serve(final Host host, final HeldRecords held) {
    final RecordServer server = new RecordServer(host);
    BulkExchange.serve(host, TensorLinkProtocols.RECORDS, REQUEST_LIMITS, server.answers, (channel, metadata) -> {
      final Request request;
      try {
        request = RecordMessages.decodeRequest(Bytes.wrap(metadata));
      } catch (WireException e) {
        LOG.debug("records: malformed request from {}: {}", channel.stream().remotePeer(), e.getMessage());
        channel.stream().reset();
        return;
      }
      final List<byte[]> records = RecordMessages.fitting(held.records(request.jobId(), request.fromStep(), request.toStep()));
      channel.send(RecordMessages.encodeCount(records.size()).toArrayUnsafe(),
          Unpooled.wrappedBuffer(RecordMessages.encodeRecords(records).toArrayUnsafe()));
      channel.close();
    });
    return server;
  }

  @Override
  public void close() {
    host.removeStreamHandler(TensorLinkProtocols.RECORDS);
    answers.shutdown();
    try {
      answers.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
