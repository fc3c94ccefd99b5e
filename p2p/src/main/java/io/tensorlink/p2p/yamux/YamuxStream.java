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
 * One yamux stream: send/receive windows, the outbound queue, half-close, reset, and the
 * multistream-select negotiation that precedes the protocol. All state is confined to the
 * session's event loop; public methods hop onto it.
 */
final class YamuxStream implements Stream {
  private static final Logger LOG = LoggerFactory.getLogger(YamuxStream.class);
  /**
   * A peer can grant at most a u32 window at a time; credit beyond twice that means it is adding
   * deltas without limit, which would eventually overflow our accounting.
   */
  private static final long MAX_SEND_WINDOW = 0xFFFF_FFFFL * 2;

  private record PendingWrite(ByteBuf data, CompletableFuture<Void> future) {}

  private final YamuxSession session;
  private final int id;
  private final boolean initiator;
  /** Our receive window: the spec's 256 KiB plus whatever extra the session's budget granted. */
  private long maxRecvWindow = HostConfig.YAMUX_INITIAL_WINDOW;
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
  private long sendWindow = HostConfig.YAMUX_INITIAL_WINDOW;
  private long recvWindow = HostConfig.YAMUX_INITIAL_WINDOW;
  private long unreturned;
  private long queuedBytes;
  private volatile boolean writable = true;
  private boolean autoRead = true;
  private boolean finRequested;
  private boolean finSent;
  private boolean finReceived;
  private boolean remoteCloseDelivered;
  private volatile boolean closed;
  private StreamListener listener;

  YamuxStream(
      final YamuxSession session, final int id, final boolean initiator, final MultistreamNegotiator negotiator) {
    this.session = session;
    this.id = id;
    this.initiator = initiator;
    this.negotiator = negotiator;
  }

  // ---- called by the session (event loop) ----

  /** Sends the window grant (with SYN or ACK) and the opening multistream bytes. */
  void open() {
    final long delta = session.reserveWindow(session.config().yamuxReceiveWindow() - HostConfig.YAMUX_INITIAL_WINDOW);
    maxRecvWindow += delta;
    session.writeFrame(YamuxHeader.TYPE_WINDOW_UPDATE, initiator ? YamuxHeader.FLAG_SYN : YamuxHeader.FLAG_ACK, id, delta);
    recvWindow += delta;
    enqueue(negotiator.start(alloc()), new CompletableFuture<>(), true);
  }

  CompletableFuture<Stream> openFuture() {
    return openFuture;
  }

  boolean isNegotiating() {
    return negotiator != null;
  }

  long recvWindow() {
    return recvWindow;
  }

  /** Accounts for an inbound data frame of {@code length} bytes (already checked against the window). */
  void onFrameReceived(final long length) {
    recvWindow -= length;
  }

  void onWindowUpdate(final long delta) {
    sendWindow += delta;
    if (sendWindow > MAX_SEND_WINDOW) {
      throw new MalformedInputException("yamux: stream " + id + " send window overflow");
    }
    drain();
  }

  void onData(final ByteBuf chunk) {
    if (closed || finReceived) {
      chunk.release();
      return;
    }
    if (negotiator != null) {
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
    if (closed || finReceived) {
      return;
    }
    finReceived = true;
    if (negotiator != null) {
      LOG.debug("stream {} to {}: peer closed during protocol negotiation", id, remotePeer());
      closeWith(StreamCloseReason.RESET_REMOTE, "peer closed the stream during negotiation");
      return;
    }
    deliverRemoteClose();
    closeIfDone();
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
      if (sendWindow <= 0) {
        break;
      }
      if (!session.isChannelWritable()) {
        session.blockedOnChannel(this);
        break;
      }
      final int n = (int) Math.min(Math.min(head.data().readableBytes(), sendWindow), session.config().yamuxMaxFrame());
      final ChannelFuture written = session.writeData(id, head.data().readRetainedSlice(n));
      sendWindow -= n;
      queuedBytes -= n;
      if (!head.data().isReadable()) {
        flushed.poll();
        head.data().release();
        final CompletableFuture<Void> future = head.future();
        written.addListener(f -> complete(future, f.cause()));
      }
    }
    if (finRequested && !finSent && flushed.isEmpty() && unflushed.isEmpty()) {
      finSent = true;
      session.writeFrame(YamuxHeader.TYPE_WINDOW_UPDATE, YamuxHeader.FLAG_FIN, id, 0)
          .addListener(f -> complete(finFuture, f.cause()));
      closeIfDone();
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
    final CompositeByteBuf leftover = negotiationBuffer;
    negotiationBuffer = null;
    returnWindow(negotiationBytes - leftover.readableBytes());
    session.onNegotiated(this);
    if (initiator) {
      openFuture.complete(this);
    } else {
      session.dispatchInbound(this);
    }
    if (leftover.isReadable() && !closed) {
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
    unreturned += n;
    if (unreturned > 0 && (unreturned >= maxRecvWindow / 2 || recvWindow < maxRecvWindow / 4) && !closed && !finReceived) {
      session.writeFrame(YamuxHeader.TYPE_WINDOW_UPDATE, 0, id, unreturned);
      recvWindow += unreturned;
      unreturned = 0;
      session.requestFlush();
    }
  }

  // ---- outbound ----

  private void enqueue(final ByteBuf data, final CompletableFuture<Void> future, final boolean flushNow) {
    if (closed || finRequested) {
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

  private void closeIfDone() {
    if (finSent && finReceived) {
      closeWith(StreamCloseReason.NORMAL, "closed by both sides");
    }
  }

  private void resetWithReason(final String reason) {
    if (!closed) {
      session.writeFrame(YamuxHeader.TYPE_WINDOW_UPDATE, YamuxHeader.FLAG_RST, id, 0);
      session.requestFlush();
      closeWith(StreamCloseReason.RESET_LOCAL, reason);
    }
  }

  private void closeWith(final StreamCloseReason reason, final String why) {
    if (closed) {
      return;
    }
    closed = true;
    session.removeStream(this);
    session.releaseWindow(maxRecvWindow - HostConfig.YAMUX_INITIAL_WINDOW);
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
          if (finReceived) {
            deliverRemoteClose();
          }
          if (closed) {
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
    return writable && !closed;
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
          if (!closed && !finRequested) {
            finRequested = true;
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
    return !closed;
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
