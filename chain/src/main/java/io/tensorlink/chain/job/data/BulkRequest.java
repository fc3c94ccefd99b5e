package io.tensorlink.chain.job.data;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.tensorlink.p2p.host.Stream;
import io.tensorlink.p2p.protocol.tensor.BulkChannel;
import io.tensorlink.p2p.protocol.tensor.BulkLimits;
import io.tensorlink.p2p.protocol.tensor.BulkMessageListener;
import java.util.concurrent.CompletableFuture;

/**
 * One request and one answer on a fresh stream of a bulk protocol: sends {@code metadata} (no
 * payload), half-closes, and completes with the answer's metadata and payload, or fails when the
 * peer resets, closes without answering or exceeds {@code limits}.
 */
public final class BulkRequest {
  /** An answer's metadata and payload. */
  public record Answer(byte[] metadata, byte[] payload) {}

  private BulkRequest() {}

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
    stream.closeFuture().thenAccept(reason -> result.completeExceptionally(
        new IllegalStateException("stream closed (" + reason + ") before an answer")));
    channel.send(metadata, Unpooled.EMPTY_BUFFER);
    channel.close();
    return result;
  }
}
