package io.tensorlink.p2p.host;

import io.netty.buffer.ByteBuf;
import java.util.concurrent.CompletableFuture;

/**
 * Collects a stream's inbound bytes until the peer closes its side, up to a limit; the stream is
 * reset when the limit is exceeded. For small request/response protocols (identify, tests).
 */
public final class StreamCollector implements StreamListener {
  private final int maxBytes;
  private final CompletableFuture<byte[]> result = new CompletableFuture<>();
  private ByteBuf collected;

  public StreamCollector(final int maxBytes) {
    this.maxBytes = maxBytes;
  }

  /** Completes with everything received once the peer half-closes. */
  public CompletableFuture<byte[]> result() {
    return result;
  }

  @Override
  public void onData(final Stream stream, final ByteBuf data) {
    if (collected == null) {
      collected = stream.alloc().heapBuffer(Math.min(maxBytes, Math.max(256, data.readableBytes())));
    }
    if (collected.readableBytes() + data.readableBytes() > maxBytes) {
      result.completeExceptionally(
          new IllegalStateException("stream " + stream.protocol() + " sent more than " + maxBytes + " bytes"));
      stream.reset();
      return;
    }
    collected.writeBytes(data);
  }

  @Override
  public void onRemoteClosed(final Stream stream) {
    final byte[] bytes = new byte[collected == null ? 0 : collected.readableBytes()];
    if (collected != null) {
      collected.readBytes(bytes);
    }
    result.complete(bytes);
  }

  @Override
  public void onClosed(final Stream stream, final StreamCloseReason reason) {
    if (collected != null) {
      collected.release();
      collected = null;
    }
    result.completeExceptionally(new IllegalStateException("stream closed (" + reason + ") before the peer finished"));
  }
}
