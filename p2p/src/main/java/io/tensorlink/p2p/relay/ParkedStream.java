package io.tensorlink.p2p.relay;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.tensorlink.p2p.host.Stream;
import io.tensorlink.p2p.host.StreamCloseReason;
import io.tensorlink.p2p.host.StreamListener;

/**
 * Holds what a circuit receives between the end of the relay handshake and the moment its user
 * takes the stream ({@link #release}), then replays it in order: the far end may start talking
 * (multistream, Noise) as soon as the relay says OK. At most {@link #MAX_PARKED} bytes are held;
 * beyond that the stream is reset.
 */
final class ParkedStream implements StreamListener {
  static final int MAX_PARKED = 256 * 1024;

  private CompositeByteBuf held;
  private boolean remoteClosed;
  private StreamCloseReason closed;
  private StreamListener next;

  @Override
  public void onData(final Stream stream, final ByteBuf data) {
    if (next != null) {
      next.onData(stream, data);
      return;
    }
    if (held == null) {
      held = stream.alloc().compositeBuffer();
    }
    if (held.readableBytes() + data.readableBytes() > MAX_PARKED) {
      stream.reset();
      return;
    }
    held.addComponent(true, data.retain());
  }

  @Override
  public void onRemoteClosed(final Stream stream) {
    if (next != null) {
      next.onRemoteClosed(stream);
    } else {
      remoteClosed = true;
    }
  }

  @Override
  public void onClosed(final Stream stream, final StreamCloseReason reason) {
    if (next != null) {
      next.onClosed(stream, reason);
      return;
    }
    closed = reason;
    if (held != null) {
      held.release();
      held = null;
    }
  }

  /** Hands the stream to {@code listener} (on the stream's event loop), replaying what was held. */
  void release(final Stream stream, final StreamListener listener) {
    stream.eventLoop().execute(() -> {
      next = listener;
      stream.setListener(listener);
      if (held != null) {
        try {
          listener.onData(stream, held);
        } finally {
          held.release();
          held = null;
        }
      }
      if (remoteClosed) {
        listener.onRemoteClosed(stream);
      }
      if (closed != null) {
        listener.onClosed(stream, closed);
      }
    });
  }
}
