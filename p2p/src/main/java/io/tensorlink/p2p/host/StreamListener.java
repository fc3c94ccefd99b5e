package io.tensorlink.p2p.host;

import io.netty.buffer.ByteBuf;

/** Inbound events of a {@link Stream}; all callbacks run on the stream's event loop. */
public interface StreamListener {
  /** Bytes from the peer; {@code data} is released after this returns (retain to keep it). */
  void onData(Stream stream, ByteBuf data);

  /** The peer half-closed (FIN): no more data will arrive. */
  default void onRemoteClosed(final Stream stream) {}

  /** {@link Stream#isWritable()} changed. */
  default void onWritabilityChanged(final Stream stream) {}

  /** The stream is finished in both directions; called exactly once. */
  default void onClosed(final Stream stream, final StreamCloseReason reason) {}
}
