package io.tensorlink.chain.validator.p2p;

import io.tensorlink.chain.pol.wire.BulkExchange;
import io.tensorlink.chain.pol.wire.RecordMessages;
import io.tensorlink.chain.pol.wire.RecordMessages.Request;
import io.tensorlink.p2p.host.Connection;
import io.tensorlink.p2p.host.Host;
import io.tensorlink.p2p.protocol.tensor.BulkChannel;
import io.tensorlink.p2p.protocol.tensor.BulkLimits;
import io.tensorlink.p2p.protocol.tensor.TensorLinkProtocols;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.stream.Collectors;
import org.apache.tuweni.bytes.Bytes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The asking side of {@code /tl/records/1.0.0}: a validator that missed a block's records on gossip
 * (it was down, or a message was lost) asks its peers for them; those that hold them (validators
 * that received them, the workers that signed them) answer ({@link RecordServer}). Answers are not trusted: the asker checks
 * every record as if it had been gossiped.
 */
final class RecordSync {
  private static final Logger LOG = LoggerFactory.getLogger(RecordSync.class);
  private static final BulkLimits ANSWER_LIMITS = new BulkLimits(64, BulkChannel.CHUNK_SIZE, RecordMessages.MAX_ANSWER);
  /** Peers asked at once: a job's workers and validators on a network of this size. */
  private static final int MAX_ASKED = 16;
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final Host host;
  private final Executor decoder;

  RecordSync(final Host host, final Executor decoder) {
    this.host = host;
    this.decoder = decoder;
  }

  /**
   * What the connected peers sent for steps [fromStep, toStep): possibly duplicated, never failing.
   * All of them, not only the steps topic's subscribers: the workers that signed the records only
   * publish there, and they hold their own.
   */
  CompletableFuture<List<byte[]>> fetch(final BigInteger jobId, final long fromStep, final long toStep) {
    final Request request = new Request(jobId, fromStep, toStep);
    // one connection per peer (a relayed one beside a direct one is the same peer)
    final List<Connection> asked = new ArrayList<>(host.connections().stream()
        .collect(Collectors.toMap(Connection::remotePeer, c -> c, (a, b) -> a)).values());
    Collections.shuffle(asked);
    final List<CompletableFuture<List<byte[]>>> answers = asked.stream().limit(MAX_ASKED)
        .map(c -> ask(c, request).exceptionally(e -> {
          LOG.debug("records: {} had none of job {} steps [{}, {}): {}", c.remotePeer(), jobId, fromStep, toStep,
              e.getMessage());
          return List.of();
        })).toList();
    return CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new))
        .thenApply(v -> answers.stream().flatMap(a -> a.join().stream()).toList());
  }

  private CompletableFuture<List<byte[]>> ask(final Connection connection, final Request request) {
    return connection.newStream(TensorLinkProtocols.RECORDS)
        .thenCompose(stream -> stream.resetUnlessAnswered(
            BulkExchange.ask(stream, RecordMessages.encode(request).toArrayUnsafe(), ANSWER_LIMITS), TIMEOUT))
        .thenApplyAsync(answer -> RecordMessages.decodeRecords(Bytes.wrap(answer.payload()),
            RecordMessages.decodeCount(Bytes.wrap(answer.metadata()))), decoder);
  }
}
