package io.tensorlink.chain.pol.verify;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.tensorlink.chain.pol.EthAddress;
import io.tensorlink.chain.pol.wire.TensorCodec;
import io.tensorlink.chain.pol.wire.VerifyMessages;
import io.tensorlink.chain.pol.wire.VerifyMessages.Request;
import io.tensorlink.chain.pol.wire.VerifyMessages.Response;
import io.tensorlink.chain.pol.wire.WireException;
import io.tensorlink.chain.pol.work.InputKind;
import io.tensorlink.chain.pol.work.RecordKey;
import io.tensorlink.compute.tensor.NamedTensors;
import io.tensorlink.p2p.host.Host;
import io.tensorlink.p2p.host.Stream;
import io.tensorlink.p2p.multiaddr.Multiaddr;
import io.tensorlink.p2p.protocol.tensor.BulkChannel;
import io.tensorlink.p2p.protocol.tensor.BulkLimits;
import io.tensorlink.p2p.protocol.tensor.BulkMessageListener;
import io.tensorlink.p2p.protocol.tensor.TensorLinkProtocols;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Function;
import org.apache.tuweni.bytes.Bytes;

/**
 * Fetches record inputs from workers over {@code /tl/verify/1.0.0}: dials the worker (its address
 * from the node bindings, {@code directory}), opens one stream per input, sends the request and
 * reads one response of at most {@code maxBytes}. Any failure (no address, dial, refusal,
 * timeout, oversize, malformed answer) fails the future, which the re-executor turns into
 * {@link Reason#INPUT_UNAVAILABLE}.
 */
public final class P2pInputSource implements InputSource {
  private final Host host;
  private final Function<EthAddress, Optional<Multiaddr>> directory;
  private final int maxBytes;
  private final Duration timeout;
  private final Executor decoder;

  /**
   * @param decoder decodes answers (megabytes of floats) off the connection's event loop
   */
  public P2pInputSource(final Host host, final Function<EthAddress, Optional<Multiaddr>> directory, final int maxBytes,
      final Duration timeout, final Executor decoder) {
    this.host = host;
    this.directory = directory;
    this.maxBytes = maxBytes;
    this.timeout = timeout;
    this.decoder = decoder;
  }

  @Override
  public CompletableFuture<NamedTensors> fetch(final EthAddress worker, final RecordKey key, final InputKind kind) {
    final Optional<Multiaddr> address = directory.apply(worker);
    if (address.isEmpty()) {
      return CompletableFuture.failedFuture(new IllegalStateException("no known address for worker " + worker));
    }
    return host.dial(address.get())
        .thenCompose(c -> c.newStream(TensorLinkProtocols.VERIFY))
        .thenCompose(stream -> stream.resetUnlessAnswered(ask(stream, new Request(key, kind)), timeout))
        .thenApplyAsync(bytes -> TensorCodec.decode(Bytes.wrap(bytes), maxBytes), decoder);
  }

  /** Completes with the answer's payload (undecoded) or fails. */
  private CompletableFuture<byte[]> ask(final Stream stream, final Request request) {
    final CompletableFuture<byte[]> result = new CompletableFuture<>();
    final BulkChannel channel = BulkChannel.attach(stream, new BulkLimits(4096, BulkChannel.CHUNK_SIZE * 4, maxBytes),
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
              final Response response = VerifyMessages.decodeResponse(Bytes.wrap(metadata));
              if (response.status() != VerifyMessages.OK) {
                result.completeExceptionally(new IllegalStateException("worker refused: " + response.reason()));
              } else {
                final byte[] bytes = new byte[body.readableBytes()];
                body.readBytes(bytes);
                result.complete(bytes);
              }
            } catch (WireException e) {
              result.completeExceptionally(e);
            } finally {
              release();
              stream.close();
            }
          }

          @Override
          public void onFailure(final BulkChannel c, final String reason) {
            release();
            result.completeExceptionally(new IllegalStateException("verify stream failed: " + reason));
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
        new IllegalStateException("verify stream closed (" + reason + ") before an answer")));
    channel.send(VerifyMessages.encode(request).toArrayUnsafe(), Unpooled.EMPTY_BUFFER);
    channel.close();
    return result;
  }
}
