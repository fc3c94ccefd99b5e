package io.tensorlink.chain.validator.p2p;

import io.netty.buffer.Unpooled;
import io.tensorlink.chain.pol.wire.BulkExchange;
import io.tensorlink.chain.pol.wire.RecordMessages;
import io.tensorlink.chain.pol.wire.RecordMessages.Request;
import io.tensorlink.chain.pol.wire.WireException;
import io.tensorlink.chain.validator.PolTransport;
import io.tensorlink.p2p.host.Connection;
import io.tensorlink.p2p.host.Host;
import io.tensorlink.p2p.peer.PeerId;
import io.tensorlink.p2p.protocol.tensor.BulkChannel;
import io.tensorlink.p2p.protocol.tensor.BulkLimits;
import io.tensorlink.p2p.protocol.tensor.TensorLinkProtocols;
import io.tensorlink.p2p.pubsub.Gossipsub;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.apache.tuweni.bytes.Bytes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /tl/records/1.0.0}: a validator that missed a block's records on gossip (it was down, or
 * a message was lost) asks the peers following the job's steps topic for them; validators answer
 * with the records they hold. Answers are not trusted: the asker checks every record as if it had
 * been gossiped.
 */
final class RecordSync {
  private static final Logger LOG = LoggerFactory.getLogger(RecordSync.class);
  /** A request is a few dozen bytes of metadata and no payload. */
  private static final BulkLimits REQUEST_LIMITS = new BulkLimits(256, 1024, 1024);
  private static final BulkLimits ANSWER_LIMITS = new BulkLimits(64, BulkChannel.CHUNK_SIZE, RecordMessages.MAX_ANSWER);
  /** Peers asked at once: enough to find a validator among the workers that follow the topic too. */
  private static final int MAX_ASKED = 8;
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final Host host;
  private final Gossipsub gossip;
  private final Executor decoder;

  RecordSync(final Host host, final Gossipsub gossip, final Executor decoder) {
    this.host = host;
    this.gossip = gossip;
    this.decoder = decoder;
  }

  /** Answers requests from {@code held} on {@code executor}, never on the connection's event loop. */
  void serve(final PolTransport.HeldRecords held, final Executor executor) {
    BulkExchange.serve(host, TensorLinkProtocols.RECORDS, REQUEST_LIMITS, executor, (channel, metadata) -> {
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
  }

  void stopServing() {
    host.removeStreamHandler(TensorLinkProtocols.RECORDS);
  }

  /** What the peers following the job sent for steps [fromStep, toStep): possibly duplicated, never failing. */
  CompletableFuture<List<byte[]>> fetch(final BigInteger jobId, final long fromStep, final long toStep) {
    final Request request = new Request(jobId, fromStep, toStep);
    return gossip.topicPeers(PolTransport.stepsTopic(jobId)).thenCompose(peers -> {
      final List<PeerId> asked = new ArrayList<>(peers);
      Collections.shuffle(asked);
      final List<CompletableFuture<List<byte[]>>> answers = asked.stream().limit(MAX_ASKED)
          .map(p -> ask(p, request).exceptionally(e -> {
            LOG.debug("records: {} had none of job {} steps [{}, {}): {}", p, jobId, fromStep, toStep, e.getMessage());
            return List.of();
          })).toList();
      return CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new))
          .thenApply(v -> answers.stream().flatMap(a -> a.join().stream()).toList());
    });
  }

  private CompletableFuture<List<byte[]>> ask(final PeerId peer, final Request request) {
    final Optional<Connection> connection = host.connection(peer);
    if (connection.isEmpty()) {
      return CompletableFuture.failedFuture(new IllegalStateException("not connected"));
    }
    return connection.get().newStream(TensorLinkProtocols.RECORDS)
        .thenCompose(stream -> stream.resetUnlessAnswered(
            BulkExchange.ask(stream, RecordMessages.encode(request).toArrayUnsafe(), ANSWER_LIMITS), TIMEOUT))
        .thenApplyAsync(answer -> RecordMessages.decodeRecords(Bytes.wrap(answer.payload()),
            RecordMessages.decodeCount(Bytes.wrap(answer.metadata()))), decoder);
  }
}
