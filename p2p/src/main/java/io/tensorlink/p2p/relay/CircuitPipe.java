package io.tensorlink.p2p.relay;

import io.netty.buffer.ByteBuf;
import io.tensorlink.p2p.host.Stream;
import io.tensorlink.p2p.host.StreamCloseReason;
import io.tensorlink.p2p.host.StreamListener;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The relay's half of a circuit: copies bytes between the initiator's hop stream and the target's
 * stop stream, passes half-closes on, and resets both when either resets, when one direction
 * exceeds the data limit, or when the duration limit passes. The data limit bounds what a slow
 * reader can make the relay buffer.
 */
final class CircuitPipe {
  private static final Logger LOG = LoggerFactory.getLogger(CircuitPipe.class);

  private final Stream a;
  private final Stream b;
  private final CircuitMessage.Limit limit;
  private final Runnable onEnd;
  private ScheduledFuture<?> timer;
  private boolean ended;
  private int closedSides;

  private CircuitPipe(final Stream a, final Stream b, final CircuitMessage.Limit limit, final Runnable onEnd) {
    this.a = a;
    this.b = b;
    this.limit = limit;
    this.onEnd = onEnd;
  }

  /**
   * Starts piping; {@code onEnd} runs once when the circuit ends for any reason. Returns the
   * listeners to hand each stream to (the caller passes on bytes that arrived with the handshake).
   */
  static StreamListener[] start(final Stream a, final Stream b, final CircuitMessage.Limit limit, final Runnable onEnd) {
    final CircuitPipe pipe = new CircuitPipe(a, b, limit, onEnd);
    if (limit.durationSeconds() > 0) {
      pipe.timer = a.eventLoop().schedule(() -> pipe.end("duration limit of " + limit.durationSeconds() + " s reached"), limit.durationSeconds(), TimeUnit.SECONDS);
    }
    return new StreamListener[] {pipe.direction(a, b), pipe.direction(b, a)};
  }

  private StreamListener direction(final Stream from, final Stream to) {
    return new StreamListener() {
      private long moved;

      @Override
      public void onData(final Stream stream, final ByteBuf data) {
        moved += data.readableBytes();
        if (limit.dataBytes() > 0 && moved > limit.dataBytes()) {
          end("data limit of " + limit.dataBytes() + " bytes reached");
          return;
        }
        to.writeAndFlush(data.retain());
      }

      @Override
      public void onRemoteClosed(final Stream stream) {
        to.closeWrite();
      }

      @Override
      public void onClosed(final Stream stream, final StreamCloseReason reason) {
        if (reason != StreamCloseReason.NORMAL) {
          end("a side ended: " + reason);
        } else {
          sideClosed();
        }
      }
    };
  }

  private synchronized void end(final String reason) {
    if (ended) {
      return;
    }
    LOG.debug("circuit {} ↔ {} reset: {}", a.remotePeer(), b.remotePeer(), reason);
    a.reset();
    b.reset();
    finish();
  }

  private synchronized void sideClosed() {
    if (++closedSides == 2) {
      finish();
    }
  }

  private synchronized void finish() {
    if (ended) {
      return;
    }
    ended = true;
    if (timer != null) {
      timer.cancel(false);
    }
    onEnd.run();
  }
}
