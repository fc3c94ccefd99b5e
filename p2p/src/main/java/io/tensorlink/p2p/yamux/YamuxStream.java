package io.tensorlink.p2p.yamux;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoop;
import io.tensorlink.p2p.host.Connection;
import io.tensorlink.p2p.host.HostConfig;
import io.tensorlink.p2p.host.ProtocolNotSupportedException;
import io.tensorlink.p2p.host.Stream;
import io.tensorlink.p2p.host.StreamCloseReason;
import io.tensorlink.p2p.host.StreamListener;
import io.tensorlink.p2p.multistream.MultistreamNegotiator;
import io.tensorlink.p2p.peer.PeerId;
import io.tensorlink.p2p.util.MalformedInputException;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One yamux stream: its life cycle ({@link State}), the outbound queue, and the multistream-select
 * negotiation that precedes the protocol; flow control is {@link StreamWindows}. All state is
 * confined to the session's event loop; public methods hop onto it.
 */
final class YamuxStream implements Stream {
  private static final Logger LOG = LoggerFactory.getLogger(YamuxStream.class);

  /**
   * The life cycle. NEGOTIATING until multistream-select agrees; then OPEN; a FIN each way
   * half-closes (WRITE_CLOSED: ours went out, READ_CLOSED: theirs arrived) and both make CLOSED;
   * RESET (either side, or the connection gone) ends it from anywhere. CLOSED and RESET are final.
   */
  enum State { NEGOTIATING, OPEN, WRITE_CLOSED, READ_CLOSED, CLOSED, RESET }

  /** What moves the state; see {@link #next}. */
  enum Event { NEGOTIATED, FIN_SENT, FIN_RECEIVED, RESET }

  /** The transition function: the state after {@code event} in {@code state}. */
  static State next(final State state, final Event event) {
    if (state == State.CLOSED || state == State.RESET) {
      return state;
    }
    return switch (event) {
      case RESET -> State.RESET;
      case NEGOTIATED -> state == State.NEGOTIATING ? State.OPEN : state;
      // A FIN before the protocol is agreed aborts the stream: there is nothing to half-close.
      case FIN_RECEIVED -> switch (state) {
        case NEGOTIATING -> State.RESET;
        case OPEN -> State.READ_CLOSED;
        case WRITE_CLOSED -> State.CLOSED;
        default -> state;
      };
      // Our FIN waits for the protocol to be agreed (drain sends it only from OPEN or READ_CLOSED).
      case FIN_SENT -> switch (state) {
        case OPEN -> State.WRITE_CLOSED;
        case READ_CLOSED -> State.CLOSED;
        default -> state;
      };
    };
  }

  private record PendingWrite(ByteBuf data, CompletableFuture<Void> future) {}

  private final YamuxSession session;
  private final int id;
  private final boolean initiator;
  private final StreamWindows windows;
  private final CompletableFuture<Stream> openFuture = new CompletableFuture<>();
  private final CompletableFuture<StreamCloseReason> closeFuture = new CompletableFuture<>();
  private final CompletableFuture<Void> finFuture = new CompletableFuture<>();
  private final ArrayDeque<PendingWrite> unflushed = new ArrayDeque<>();
  private final ArrayDeque<PendingWrite> flushed = new ArrayDeque<>();
  private final ArrayDeque<ByteBuf> backlog = new ArrayDeque<>();

  private MultistreamNegotiator negotiator;
  private CompositeByteBuf negotiationBuffer;
  private long negotiationBytes;
  private volatile String protocol;
  private volatile State state = State.NEGOTIATING;
  private long queuedBytes;
  private volatile boolean writable = true;
  private boolean autoRead = true;
  /** closeWrite was called: no more writes; our FIN follows the queued data. */
  private boolean finQueued;
  private boolean remoteCloseDelivered;
  private StreamListener listener;

  YamuxStream(
      final YamuxSession session, final int id, final boolean initiator, final MultistreamNegotiator negotiator) {
    this.session = session;
    this.id = id;
    this.initiator = initiator;
    this.negotiator = negotiator;
    this.windows = new StreamWindows(id);
  }

  private void on(final Event event) {
    state = next(state, event);
  }

  private boolean ended() {
    return state == State.CLOSED || state == State.RESET;
  }

  /** The peer's FIN arrived (or the stream ended): nothing more will be read. */
  private boolean readDone() {
    return state == State.READ_CLOSED || ended();
  }

  State state() {
    return state;
  }

  // ---- called by the session (event loop) ----

  /** Sends the window grant (with SYN or ACK) and the opening multistream bytes. */
  void open() {
    final long delta = session.reserveWindow(session.config().yamuxReceiveWindow() - HostConfig.YAMUX_INITIAL_WINDOW);
    session.writeFrame(YamuxHeader.TYPE_WINDOW_UPDATE, initiator ? YamuxHeader.FLAG_SYN : YamuxHeader.FLAG_ACK, id, delta);
    windows.grow(delta);
    enqueue(negotiator.start(alloc()), new CompletableFuture<>(), true);
  }

  CompletableFuture<Stream> openFuture() {
    return openFuture;
  }

  boolean isNegotiating() {
    return state == State.NEGOTIATING;
  }

  long recvWindow() {
    return windows.recv();
  }

  /** Accounts for an inbound data frame of {@code length} bytes (already checked against the window). */
  void onFrameReceived(final long length) {
    windows.received(length);
  }

  void onWindowUpdate(final long delta) {
    windows.credit(delta);
    drain();
  }

  void onData(final ByteBuf chunk) {
    if (readDone()) {
      chunk.release();
      return;
    }
    if (state == State.NEGOTIATING) {
      if (negotiationBuffer == null) {
        negotiationBuffer = alloc().compositeBuffer();
      }
      negotiationBytes += chunk.readableBytes();
      negotiationBuffer.addComponent(true, chunk);
      negotiate();
      return;
    }
    deliver(chunk);
  }

  void onRemoteFin() {
    if (readDone()) {
      return;
    }
    if (state == State.NEGOTIATING) {
      LOG.debug("stream {} to {}: peer closed during protocol negotiation", id, remotePeer());
      closeWith(StreamCloseReason.RESET_REMOTE, "peer closed the stream during negotiation");
      return;
    }
    on(Event.FIN_RECEIVED);
    deliverRemoteClose();
    if (state == State.CLOSED) {
      finish(StreamCloseReason.NORMAL, "closed by both sides");
    }
  }

  void onRemoteReset() {
    closeWith(StreamCloseReason.RESET_REMOTE, "stream reset by peer");
  }

  void onConnectionClosed() {
    closeWith(StreamCloseReason.CONNECTION_CLOSED, "connection closed");
  }

  /** Sends queued data while the peer's window and the channel allow it. */
  void drain() {
    while (!flushed.isEmpty()) {
      final PendingWrite head = flushed.peek();
      if (!head.data().isReadable()) {
        flushed.poll();
        head.data().release();
        head.future().complete(null);
        continue;
      }
      if (!windows.canSend()) {
        break;
      }
      if (!session.isChannelWritable()) {
        session.blockedOnChannel(this);
        break;
      }
      final int n = windows.sendable(head.data().readableBytes(), session.config().yamuxMaxFrame());
      final ChannelFuture written = session.writeData(id, head.data().readRetainedSlice(n));
      windows.sent(n);
      queuedBytes -= n;
      if (!head.data().isReadable()) {
        flushed.poll();
        head.data().release();
        final CompletableFuture<Void> future = head.future();
        written.addListener(f -> complete(future, f.cause()));
      }
    }
    final boolean finDue = state == State.OPEN || state == State.READ_CLOSED;
    if (finQueued && finDue && flushed.isEmpty() && unflushed.isEmpty()) {
      on(Event.FIN_SENT);
      session.writeFrame(YamuxHeader.TYPE_WINDOW_UPDATE, YamuxHeader.FLAG_FIN, id, 0)
          .addListener(f -> complete(finFuture, f.cause()));
      if (state == State.CLOSED) {
        finish(StreamCloseReason.NORMAL, "closed by both sides");
      }
    }
    updateWritability();
  }

  // ---- negotiation ----

  private void negotiate() {
    final ByteBuf reply = alloc().buffer(64);
    final MultistreamNegotiator.Outcome outcome;
    try {
      outcome = negotiator.onData(negotiationBuffer, reply);
    } catch (final MalformedInputException e) {
      reply.release();
      LOG.debug("stream {} to {}: negotiation failed: {}", id, remotePeer(), e.getMessage());
      resetWithReason("negotiation failed: " + e.getMessage());
      return;
    }
    if (reply.isReadable()) {
      enqueue(reply, new CompletableFuture<>(), true);
    } else {
      reply.release();
    }
    switch (outcome) {
      case MultistreamNegotiator.Outcome.Pending p -> {}
      case MultistreamNegotiator.Outcome.Refused r -> {
        openFuture.completeExceptionally(new ProtocolNotSupportedException(r.proposals()));
        resetWithReason("protocols refused");
      }
      case MultistreamNegotiator.Outcome.Agreed a -> onAgreed(a.protocol());
    }
  }

  private void onAgreed(final String agreed) {
    protocol = agreed;
    negotiator = null;
    on(Event.NEGOTIATED);
    final CompositeByteBuf leftover = negotiationBuffer;
    negotiationBuffer = null;
    returnWindow(negotiationBytes - leftover.readableBytes());
    session.onNegotiated(this);
    if (initiator) {
      openFuture.complete(this);
    } else {
      session.dispatchInbound(this);
    }
    if (leftover.isReadable() && !ended()) {
      deliver(leftover);
    } else {
      leftover.release();
    }
  }

  // ---- inbound delivery ----

  private void deliver(final ByteBuf data) {
    if (listener == null) {
      backlog.add(data);
      return;
    }
    final int n = data.readableBytes();
    try {
      listener.onData(this, data);
    } catch (final RuntimeException e) {
      LOG.warn("stream {} ({}) to {}: listener failed, resetting: {}", id, protocol, remotePeer(), e.toString());
      reset();
      return;
    } finally {
      data.release();
    }
    if (autoRead) {
      returnWindow(n);
    }
  }

  private void deliverRemoteClose() {
    if (listener != null && backlog.isEmpty() && !remoteCloseDelivered) {
      remoteCloseDelivered = true;
      try {
        listener.onRemoteClosed(this);
      } catch (final RuntimeException e) {
        LOG.warn("stream {} ({}): onRemoteClosed failed: {}", id, protocol, e.toString());
      }
    }
  }

  private void returnWindow(final long n) {
    if (readDone()) {
      return; // the peer sends nothing more: no credit to return
    }
    final long delta = windows.consumed(n);
    if (delta > 0) {
      session.writeFrame(YamuxHeader.TYPE_WINDOW_UPDATE, 0, id, delta);
      session.requestFlush();
    }
  }

  // ---- outbound ----

  private void enqueue(final ByteBuf data, final CompletableFuture<Void> future, final boolean flushNow) {
    if (ended() || finQueued) {
      data.release();
      future.completeExceptionally(new StreamClosedException("stream " + id + " is closed for writing"));
      return;
    }
    queuedBytes += data.readableBytes();
    unflushed.add(new PendingWrite(data, future));
    if (flushNow) {
      doFlush();
    } else {
      updateWritability();
    }
  }

  private void doFlush() {
    flushed.addAll(unflushed);
    unflushed.clear();
    drain();
    session.requestFlush();
  }

  private void updateWritability() {
    final HostConfig config = session.config();
    if (writable && queuedBytes > config.streamWriteBufferHighWaterMark()) {
      writable = false;
      notifyWritability();
    } else if (!writable && queuedBytes < config.streamWriteBufferLowWaterMark()) {
      writable = true;
      notifyWritability();
    }
  }

  private void notifyWritability() {
    if (listener != null) {
      try {
        listener.onWritabilityChanged(this);
      } catch (final RuntimeException e) {
        LOG.warn("stream {} ({}): onWritabilityChanged failed: {}", id, protocol, e.toString());
      }
    }
  }

  // ---- closing ----

  private void resetWithReason(final String reason) {
    if (!ended()) {
      session.writeFrame(YamuxHeader.TYPE_WINDOW_UPDATE, YamuxHeader.FLAG_RST, id, 0);
      session.requestFlush();
      closeWith(StreamCloseReason.RESET_LOCAL, reason);
    }
  }

  /** Resets the stream (by us, by the peer, or with the connection), unless it already ended. */
  private void closeWith(final StreamCloseReason reason, final String why) {
    if (ended()) {
      return;
    }
    on(Event.RESET);
    finish(reason, why);
  }

  /** The stream reached CLOSED or RESET: release everything and tell whoever waits. */
  private void finish(final StreamCloseReason reason, final String why) {
    session.removeStream(this);
    session.releaseWindow(windows.extra());
    final StreamClosedException cause = new StreamClosedException("stream " + id + " closed: " + why);
    failAll(unflushed, cause);
    failAll(flushed, cause);
    queuedBytes = 0;
    if (negotiationBuffer != null) {
      negotiationBuffer.release();
      negotiationBuffer = null;
    }
    if (reason != StreamCloseReason.NORMAL) {
      backlog.forEach(ByteBuf::release);
      backlog.clear();
    }
    openFuture.completeExceptionally(cause);
    finFuture.completeExceptionally(cause);
    closeFuture.complete(reason);
    if (listener != null) {
      try {
        listener.onClosed(this, reason);
      } catch (final RuntimeException e) {
        LOG.warn("stream {} ({}): onClosed failed: {}", id, protocol, e.toString());
      }
    }
  }

  private static void failAll(final ArrayDeque<PendingWrite> queue, final Throwable cause) {
    for (final PendingWrite w : queue) {
      w.data().release();
      w.future().completeExceptionally(cause);
    }
    queue.clear();
  }

  private static void complete(final CompletableFuture<Void> future, final Throwable cause) {
    if (cause == null) {
      future.complete(null);
    } else {
      future.completeExceptionally(cause);
    }
  }

  private void onLoop(final Runnable task) {
    final EventLoop loop = eventLoop();
    if (loop.inEventLoop()) {
      task.run();
    } else {
      loop.execute(task);
    }
  }

  // ---- Stream API ----

  @Override
  public String protocol() {
    return protocol;
  }

  @Override
  public PeerId remotePeer() {
    return session.remotePeer();
  }

  @Override
  public Connection connection() {
    return session;
  }

  @Override
  public boolean isInitiator() {
    return initiator;
  }

  @Override
  public int id() {
    return id;
  }

  @Override
  public EventLoop eventLoop() {
    return session.eventLoop();
  }

  @Override
  public ByteBufAllocator alloc() {
    return session.alloc();
  }

  @Override
  public void setListener(final StreamListener newListener) {
    onLoop(
        () -> {
          listener = newListener;
          while (!backlog.isEmpty() && listener == newListener) {
            deliver(backlog.poll());
          }
          if (state == State.READ_CLOSED || state == State.CLOSED) {
            deliverRemoteClose();
          }
          if (ended()) {
            closeFuture.thenAccept(reason -> newListener.onClosed(this, reason));
          }
        });
  }

  @Override
  public CompletableFuture<Void> write(final ByteBuf data) {
    final CompletableFuture<Void> future = new CompletableFuture<>();
    onLoop(() -> enqueue(data, future, false));
    return future;
  }

  @Override
  public void flush() {
    onLoop(this::doFlush);
  }

  @Override
  public CompletableFuture<Void> writeAndFlush(final ByteBuf data) {
    final CompletableFuture<Void> future = new CompletableFuture<>();
    onLoop(() -> enqueue(data, future, true));
    return future;
  }

  @Override
  public boolean isWritable() {
    return writable && !ended();
  }

  @Override
  public void setAutoRead(final boolean value) {
    onLoop(() -> autoRead = value);
  }

  @Override
  public void consumed(final int bytes) {
    onLoop(() -> returnWindow(bytes));
  }

  @Override
  public CompletableFuture<Void> closeWrite() {
    onLoop(
        () -> {
          if (!ended() && !finQueued) {
            finQueued = true;
            doFlush();
          }
        });
    return finFuture;
  }

  @Override
  public void reset() {
    onLoop(() -> resetWithReason("reset locally"));
  }

  @Override
  public boolean isOpen() {
    return !ended();
  }

  @Override
  public CompletableFuture<StreamCloseReason> closeFuture() {
    return closeFuture;
  }

  @Override
  public String toString() {
    return "Stream[" + id + " " + protocol + " " + remotePeer() + "]";
  }
}
