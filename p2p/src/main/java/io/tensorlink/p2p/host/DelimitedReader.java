package io.tensorlink.p2p.host;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.tensorlink.p2p.util.MalformedInputException;
import io.tensorlink.p2p.util.Uvarint;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Splits a stream into uvarint-length-prefixed messages (the framing of kad-dht, AutoNAT, circuit
 * relay and DCUtR) and hands each body to a handler. The length is checked against {@code
 * maxMessage} before anything is buffered; an oversize or malformed prefix, or a handler that throws
 * {@link MalformedInputException}, resets the stream with a logged reason and moves to the terminal
 * {@link State#FAILED}.
 */
public final class DelimitedReader implements StreamListener {
  /**
   * LENGTH: reading a prefix; BODY: buffering a body; FAILED: terminal, nothing more is read;
   * HANDED_OFF: terminal, the stream now belongs to another listener (a protocol that turns into a
   * byte pipe after its handshake, like a relay circuit).
   */
  public enum State {
    LENGTH,
    BODY,
    FAILED,
    HANDED_OFF
  }

  /** What the reader calls; all on the stream's event loop. */
  public interface Handler {
    /** One complete message body. Throw {@link MalformedInputException} to reject it. */
    void onMessage(Stream stream, byte[] message);

    /** The peer half-closed its side. */
    default void onRemoteClosed(final Stream stream) {}

    /** The stream failed (our reset for a defect, the peer's reset, or a close mid-message). */
    default void onFailure(final Stream stream, final String reason) {}
  }

  private static final Logger LOG = LoggerFactory.getLogger(DelimitedReader.class);

  private final String what;
  private final int maxMessage;
  private final Handler handler;
  private CompositeByteBuf pending;
  private State state = State.LENGTH;
  private int bodyLength;

  /**
   * @param what the protocol name used in logged reasons
   * @param maxMessage the largest body accepted
   */
  public DelimitedReader(final String what, final int maxMessage, final Handler handler) {
    this.what = what;
    this.maxMessage = maxMessage;
    this.handler = handler;
  }

  /** Convenience for handlers that only care about messages. */
  public static DelimitedReader of(final String what, final int maxMessage, final BiConsumer<Stream, byte[]> onMessage) {
    return new DelimitedReader(what, maxMessage, onMessage::accept);
  }

  public State state() {
    return state;
  }

  /**
   * Gives the stream to {@code next}, with any bytes already read past the last message; call it
   * from {@link Handler#onMessage} (on the event loop).
   */
  public void handOff(final Stream stream, final StreamListener next) {
    state = State.HANDED_OFF;
    final CompositeByteBuf rest = pending;
    pending = null;
    stream.setListener(next);
    if (rest != null) {
      if (rest.isReadable()) {
        next.onData(stream, rest);
      }
      rest.release();
    }
  }

  /** Writes {@code body} with its uvarint length prefix and flushes. */
  public static void write(final Stream stream, final byte[] body) {
    final ByteBuf out = stream.alloc().buffer(body.length + Uvarint.size(body.length));
    Uvarint.write(out, body.length);
    out.writeBytes(body);
    stream.writeAndFlush(out);
  }

  @Override
  public void onData(final Stream stream, final ByteBuf data) {
    if (state == State.FAILED || state == State.HANDED_OFF) {
      return;
    }
    if (pending == null) {
      pending = stream.alloc().compositeBuffer();
    }
    pending.addComponent(true, data.retain());
    try {
      drain(stream);
    } catch (final MalformedInputException e) {
      fail(stream, e.getMessage(), true);
    }
    if (state == State.LENGTH && pending != null) {
      pending.discardReadComponents();
    }
  }

  private void drain(final Stream stream) {
    while (state == State.LENGTH || state == State.BODY) {
      if (state == State.LENGTH) {
        final long length = Uvarint.read(pending);
        if (length == Uvarint.INCOMPLETE) {
          break;
        }
        if (length > maxMessage) {
          throw new MalformedInputException(what + " message of " + length + " bytes exceeds the limit of " + maxMessage);
        }
        bodyLength = (int) length;
        state = State.BODY;
      }
      if (pending.readableBytes() < bodyLength) {
        break;
      }
      final byte[] body = new byte[bodyLength];
      pending.readBytes(body);
      state = State.LENGTH;
      handler.onMessage(stream, body);
    }
  }

  private void fail(final Stream stream, final String reason, final boolean reset) {
    state = State.FAILED;
    release();
    if (reset) {
      LOG.warn("{} stream from {} reset: {}", what, stream.remotePeer(), reason);
      stream.reset();
    }
    handler.onFailure(stream, reason);
  }

  @Override
  public void onRemoteClosed(final Stream stream) {
    if (state == State.HANDED_OFF) {
      return;
    }
    if (state == State.BODY || (pending != null && pending.isReadable())) {
      fail(stream, "peer closed in the middle of a " + what + " message", true);
      return;
    }
    if (state != State.FAILED) {
      handler.onRemoteClosed(stream);
    }
  }

  @Override
  public void onClosed(final Stream stream, final StreamCloseReason reason) {
    release();
    if ((state == State.LENGTH || state == State.BODY) && reason != StreamCloseReason.NORMAL) {
      state = State.FAILED;
      handler.onFailure(stream, what + " stream ended: " + reason);
    }
  }

  private void release() {
    if (pending != null) {
      pending.release();
      pending = null;
    }
  }
}
