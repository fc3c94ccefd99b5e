package io.tensorlink.chain.pol.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.tensorlink.p2p.host.Host;
import io.tensorlink.p2p.host.Stream;
import io.tensorlink.p2p.protocol.tensor.BulkChannel;
import io.tensorlink.p2p.protocol.tensor.BulkLimits;
import io.tensorlink.p2p.protocol.tensor.BulkMessageListener;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One request and one answer per stream of a bulk protocol ({@code /tl/data}, {@code /tl/verify}):
 * the asking side ({@link #ask}) and the answering side ({@link #serve}). A request is metadata
 * with no payload; the answer is metadata plus a payload.
 */
public final class BulkExchange {
  private static final Logger LOG = LoggerFactory.getLogger(BulkExchange.class);

  /** An answer's metadata and payload. */
  public record Answer(byte[] metadata, byte[] payload) {}

  /** Answers one request; runs on the executor given to {@link #serve}, never on the event loop. */
  @FunctionalInterface
  public interface Responder {
    /** Sends the answer on {@code channel} (or resets its stream) and closes it. */
    void answer(BulkChannel channel, byte[] request);
  }

  private BulkExchange() {}

  /**
   * Sends {@code metadata} (no payload) on a fresh {@code stream}, half-closes, and completes with
   * the answer, or fails when the peer resets, closes without answering or exceeds {@code limits}.
   */
  public static CompletableFuture<Answer> ask(final Stream stream, final byte[] metadata, final BulkLimits limits) {
    final CompletableFuture<Answer> result = new CompletableFuture<>();
    final BulkChannel channel = BulkChannel.attach(stream, limits, new BulkMessageListener() {
      private byte[] meta;
      private ByteBuf body;

      @Override
      public void onStart(final BulkChannel c, final byte[] m) {
        meta = m;
        body = Unpooled.buffer();
      }

      @Override
      public void onChunk(final BulkChannel c, final ByteBuf chunk) {
        body.writeBytes(chunk);
      }

      @Override
      public void onEnd(final BulkChannel c, final long totalBytes) {
        final byte[] bytes = new byte[body.readableBytes()];
        body.readBytes(bytes);
        release();
        result.complete(new Answer(meta, bytes));
        stream.close();
      }

      @Override
      public void onFailure(final BulkChannel c, final String reason) {
        release();
        result.completeExceptionally(new IllegalStateException("stream failed: " + reason));
      }

      @Override
      public void onRemoteClosed(final BulkChannel c) {
        release();
        result.completeExceptionally(new IllegalStateException("the peer closed the stream without an answer"));
      }

      private void release() {
        if (body != null) {
          body.release();
          body = null;
        }
      }
    });
    // a peer that resets the stream (the bulk channel reports nothing outside a message) fails at once
    stream.closeFuture().thenAccept(reason -> result.completeExceptionally(
        new IllegalStateException("stream closed (" + reason + ") before an answer")));
    channel.send(metadata, Unpooled.EMPTY_BUFFER);
    channel.close();
    return result;
  }

  /**
   * Handles {@code protocol} on {@code host}: reads one request per stream within {@code requestLimits}
   * (a second request resets the stream) and hands it to {@code responder} on {@code executor}.
   */
  public static void serve(final Host host, final String protocol, final BulkLimits requestLimits,
      final Executor executor, final Responder responder) {
    host.setStreamHandler(protocol, stream -> BulkChannel.attach(stream, requestLimits, new BulkMessageListener() {
      private byte[] request;

      @Override
      public void onStart(final BulkChannel channel, final byte[] metadata) {
        if (request != null) {
          LOG.debug("{}: second request on one stream from {}", protocol, stream.remotePeer());
          stream.reset();
          return;
        }
        request = metadata;
      }

      @Override
      public void onChunk(final BulkChannel channel, final ByteBuf chunk) {
        // requests carry no payload; requestLimits bounds what a peer can push here
      }

      @Override
      public void onEnd(final BulkChannel channel, final long totalBytes) {
        final byte[] metadata = request;
        CompletableFuture.runAsync(() -> responder.answer(channel, metadata), executor);
      }
    }));
  }
}
