package io.tensorlink.p2p.protocol.tensor;

import io.netty.buffer.ByteBuf;

/** Inbound bulk messages, streamed chunk by chunk; called on the stream's event loop. */
public interface BulkMessageListener {
  void onStart(BulkChannel channel, byte[] metadata);

  /** A verified chunk; released after this returns ({@code retain()} to keep it). */
  void onChunk(BulkChannel channel, ByteBuf chunk);

  /** The message is complete and its length and chunk count matched. */
  void onEnd(BulkChannel channel, long totalBytes);

  /** The message or stream failed (peer abort, checksum mismatch, limit, reset). */
  default void onFailure(final BulkChannel channel, final String reason) {}

  /** The peer closed its side; no more messages will arrive. */
  default void onRemoteClosed(final BulkChannel channel) {}
}
