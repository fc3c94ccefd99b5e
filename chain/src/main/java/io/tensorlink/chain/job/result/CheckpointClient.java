package io.tensorlink.chain.job.result;

import io.tensorlink.chain.pol.wire.BulkExchange;
import io.tensorlink.compute.checkpoint.Checkpoint;
import io.tensorlink.p2p.host.Host;
import io.tensorlink.p2p.host.Stream;
import io.tensorlink.p2p.multiaddr.Multiaddr;
import io.tensorlink.p2p.protocol.tensor.BulkChannel;
import io.tensorlink.p2p.protocol.tensor.BulkLimits;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Asks one worker for one checkpoint over {@code /tl/checkpoint/1.0.0}: dials it, opens a stream,
 * sends the request and reads one response of at most {@code maxBytes} of payload. Any failure
 * (dial, refusal, reset, timeout, oversize, malformed answer, a checkpoint at another step) fails
 * the future with a message saying which.
 */
public final class CheckpointClient {
  private final Host host;
  private final int maxBytes;
  private final Duration timeout;
  private final Executor decoder;

  /** @param decoder decodes answers (megabytes of floats) off the connection's event loop */
  public CheckpointClient(final Host host, final int maxBytes, final Duration timeout, final Executor decoder) {
    this.host = host;
    this.maxBytes = maxBytes;
    this.timeout = timeout;
    this.decoder = decoder;
  }

  public CompletableFuture<Checkpoint> fetch(final Multiaddr worker, final CheckpointMessages.Request request) {
    return host.dial(worker)
        .thenCompose(c -> c.newStream(CheckpointMessages.PROTOCOL))
        .thenCompose(stream -> stream.resetUnlessAnswered(ask(stream, request), timeout))
        .thenApplyAsync(payload -> {
          final CheckpointMessages.Tensors t = CheckpointMessages.decodePayload(payload, maxBytes);
          return new Checkpoint(request.step(), t.params(), t.state(), Map.of());
        }, decoder);
  }

  /** The answer's payload, once its metadata says OK at the requested step. */
  private CompletableFuture<byte[]> ask(final Stream stream, final CheckpointMessages.Request request) {
    return BulkExchange.ask(stream, CheckpointMessages.encode(request),
        new BulkLimits(CheckpointMessages.MAX_RESPONSE_META, BulkChannel.CHUNK_SIZE * 4, maxBytes))
        .thenApply(answer -> {
          final CheckpointMessages.Response response = CheckpointMessages.decodeResponse(answer.metadata());
          if (response.status() != CheckpointMessages.OK) {
            throw new IllegalStateException("worker refused: " + response.reason());
          }
          if (response.step() != request.step()) {
            throw new IllegalStateException("worker answered a checkpoint at step " + response.step() + ", not "
                + request.step());
          }
          return answer.payload();
        });
  }
}
