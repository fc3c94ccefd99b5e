package io.tensorlink.chain.job.result;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.tensorlink.compute.checkpoint.Checkpoint;
import io.tensorlink.p2p.host.Host;
import io.tensorlink.p2p.host.Stream;
import io.tensorlink.p2p.multiaddr.Multiaddr;
import io.tensorlink.p2p.protocol.tensor.BulkChannel;
import io.tensorlink.p2p.protocol.tensor.BulkLimits;
import io.tensorlink.p2p.protocol.tensor.BulkMessageListener;
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

  private CompletableFuture<byte[]> ask(final Stream stream, final CheckpointMessages.Request request) {
    final CompletableFuture<byte[]> result = new CompletableFuture<>();
    final BulkChannel channel = BulkChannel.attach(stream,
        new BulkLimits(CheckpointMessages.MAX_RESPONSE_META, BulkChannel.CHUNK_SIZE * 4, maxBytes),
        new BulkMessageListener() {
          private byte[] metadata;
          private ByteBuf body;

          @Override
          public void onStart(final BulkChannel c, final byte[] meta) {
            metadata = meta;
            body = Unpooled.buffer();
          }

          @Override
          public void onChunk(final BulkChannel c, final ByteBuf chunk) {
            body.writeBytes(chunk);
          }

          @Override
          public void onEnd(final BulkChannel c, final long totalBytes) {
            try {
              final CheckpointMessages.Response response = CheckpointMessages.decodeResponse(metadata);
              if (response.status() != CheckpointMessages.OK) {
                result.completeExceptionally(new IllegalStateException("worker refused: " + response.reason()));
              } else if (response.step() != request.step()) {
                result.completeExceptionally(new IllegalStateException("worker answered a checkpoint at step "
                    + response.step() + ", not " + request.step()));
              } else {
                final byte[] bytes = new byte[body.readableBytes()];
                body.readBytes(bytes);
                result.complete(bytes);
              }
            } catch (MalformedCheckpointException e) {
              result.completeExceptionally(e);
            } finally {
              release();
              stream.close();
            }
          }

          @Override
          public void onFailure(final BulkChannel c, final String reason) {
            release();
            result.completeExceptionally(new IllegalStateException("checkpoint stream failed: " + reason));
          }

          @Override
          public void onRemoteClosed(final BulkChannel c) {
            release();
            result.completeExceptionally(new IllegalStateException("worker closed the stream without an answer"));
          }

          private void release() {
            if (body != null) {
              body.release();
              body = null;
            }
          }
        });
    // a worker that resets the stream (the bulk channel reports nothing outside a message) fails at once
    stream.closeFuture().thenAccept(reason -> result.completeExceptionally(
        new IllegalStateException("checkpoint stream closed (" + reason + ") before an answer")));
    channel.send(CheckpointMessages.encode(request), Unpooled.EMPTY_BUFFER);
    channel.close();
    return result;
  }
}
