package io.tensorlink.p2p.yamux;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.util.collection.IntObjectHashMap;
import io.netty.util.collection.IntObjectMap;
import io.netty.util.concurrent.ScheduledFuture;
import io.tensorlink.p2p.host.Connection;
import io.tensorlink.p2p.host.HostConfig;
import io.tensorlink.p2p.host.Stream;
import io.tensorlink.p2p.host.StreamHandler;
import io.tensorlink.p2p.multiaddr.Multiaddr;
import io.tensorlink.p2p.multistream.MultistreamNegotiator;
import io.tensorlink.p2p.peer.PeerId;
import io.tensorlink.p2p.util.MalformedInputException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A yamux session over a secured channel, and the {@link Connection} that applications see. Owns
 * the stream table, stream-id allocation (dialer odd, listener even), inbound limits, keepalive
 * pings and GoAway. A protocol violation sends GoAway(protocol error) and closes the connection
 * with the reason logged. Confined to the channel's event loop.
 */
public final class YamuxSession extends ChannelInboundHandlerAdapter implements Connection, YamuxFrameDecoder.Sink {
  private static final Logger LOG = LoggerFactory.getLogger(YamuxSession.class);

  /** Host-side hooks. */
  public interface Hooks {
    Optional<StreamHandler> handler(String protocol);

    void onClosed(YamuxSession session);
  }

  private final HostConfig config;
  private final boolean dialer;
  private final PeerId remotePeer;
  private final Multiaddr remoteAddress;
  private final Multiaddr localAddress;
  private final Hooks hooks;
  private final YamuxFrameDecoder decoder = new YamuxFrameDecoder();
  private final IntObjectMap<YamuxStream> streams = new IntObjectHashMap<>();
  private final LinkedHashSet<YamuxStream> blocked = new LinkedHashSet<>();
  private final CompletableFuture<Void> closeFuture = new CompletableFuture<>();
  private ChannelHandlerContext ctx;
  private int nextStreamId;
  private int negotiating;
  private boolean goAwayReceived;
  private boolean goAwaySent;
  private boolean flushRequested;
  private boolean inRead;
  private long pingId;
  private boolean pingOutstanding;
  private ScheduledFuture<?> keepAlive;
  private volatile int streamCount;
  private volatile long idleSinceNanos = System.nanoTime();
  private long windowGranted;
  private double streamTokens;
  private long tokensRefilledNanos = System.nanoTime();

  public YamuxSession(
      final HostConfig config,
      final boolean dialer,
      final PeerId remotePeer,
      final Multiaddr remoteAddress,
      final Multiaddr localAddress,
      final Hooks hooks) {
    this.config = config;
    this.dialer = dialer;
    this.remotePeer = remotePeer;
    this.remoteAddress = remoteAddress;
    this.localAddress = localAddress;
    this.hooks = hooks;
    this.nextStreamId = dialer ? 1 : 2;
    this.streamTokens = config.maxInboundStreamsPerSecond();
  }

  // ---- channel events ----

  @Override
  public void handlerAdded(final ChannelHandlerContext context) {
    this.ctx = context;
    final long interval = config.keepAliveInterval().toMillis();
    if (interval > 0) {
      keepAlive = ctx.executor().scheduleAtFixedRate(this::keepAlive, interval, interval, TimeUnit.MILLISECONDS);
    }
  }

  @Override
  public void channelRead(final ChannelHandlerContext context, final Object msg) {
    if (!(msg instanceof ByteBuf buf)) {
      context.fireChannelRead(msg);
      return;
    }
    inRead = true;
    try {
      decoder.decode(buf, this);
    } catch (final MalformedInputException e) {
      protocolError(e.getMessage());
    } finally {
      buf.release();
      inRead = false;
    }
  }

  @Override
  public void channelReadComplete(final ChannelHandlerContext context) {
    flushIfRequested();
    context.fireChannelReadComplete();
  }

  @Override
  public void channelWritabilityChanged(final ChannelHandlerContext context) {
    if (context.channel().isWritable() && !blocked.isEmpty()) {
      final List<YamuxStream> ready = new ArrayList<>(blocked);
      blocked.clear();
      ready.forEach(YamuxStream::drain);
      flushIfRequested();
    }
    context.fireChannelWritabilityChanged();
  }

  @Override
  public void channelInactive(final ChannelHandlerContext context) {
    if (keepAlive != null) {
      keepAlive.cancel(false);
    }
    new ArrayList<>(streams.values()).forEach(YamuxStream::onConnectionClosed);
    blocked.clear();
    closeFuture.complete(null);
    hooks.onClosed(this);
    context.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(final ChannelHandlerContext context, final Throwable cause) {
    LOG.warn("connection to {} failed, closing: {}", remotePeer, cause.toString());
    context.close();
  }

  // ---- frames ----

  @Override
  public void onFrame(final YamuxHeader h) {
    switch (h.type()) {
      case YamuxHeader.TYPE_DATA, YamuxHeader.TYPE_WINDOW_UPDATE -> onStreamFrame(h);
      case YamuxHeader.TYPE_PING -> {
        if (h.has(YamuxHeader.FLAG_SYN)) {
          writeFrame(YamuxHeader.TYPE_PING, YamuxHeader.FLAG_ACK, 0, h.length());
          requestFlush();
        } else if (h.has(YamuxHeader.FLAG_ACK) && h.length() == (pingId & 0xFFFF_FFFFL)) {
          pingOutstanding = false;
        }
      }
      case YamuxHeader.TYPE_GO_AWAY -> {
        goAwayReceived = true;
        LOG.debug("peer {} sent GoAway (code {})", remotePeer, h.length());
      }
      default -> throw new MalformedInputException("yamux: unknown frame type " + h.type());
    }
  }

  private void onStreamFrame(final YamuxHeader h) {
    final int id = h.streamId();
    if (id == 0) {
      throw new MalformedInputException("yamux: stream frame on stream id 0");
    }
    YamuxStream stream = streams.get(id);
    if (h.has(YamuxHeader.FLAG_SYN)) {
      if (stream != null) {
        throw new MalformedInputException("yamux: duplicate SYN for stream " + id);
      }
      if (((id & 1) == 1) == dialer) {
        throw new MalformedInputException("yamux: peer opened stream " + id + " with our parity");
      }
      stream = acceptInbound(id);
    }
    if (stream == null) {
      return; // a stream we already closed or refused; its payload is dropped
    }
    if (h.type() == YamuxHeader.TYPE_WINDOW_UPDATE) {
      stream.onWindowUpdate(h.length());
    } else {
      if (h.length() > stream.recvWindow()) {
        throw new MalformedInputException(
            "yamux: stream " + id + " data frame of " + h.length() + " bytes exceeds the window of " + stream.recvWindow());
      }
      stream.onFrameReceived(h.length());
    }
  }

  @Override
  public void onData(final YamuxHeader h, final ByteBuf chunk) {
    final YamuxStream stream = streams.get(h.streamId());
    if (stream == null) {
      chunk.release();
    } else {
      stream.onData(chunk);
    }
  }

  @Override
  public void onFrameEnd(final YamuxHeader h) {
    if (h.type() != YamuxHeader.TYPE_DATA && h.type() != YamuxHeader.TYPE_WINDOW_UPDATE) {
      return;
    }
    final YamuxStream stream = streams.get(h.streamId());
    if (stream == null) {
      return;
    }
    if (h.has(YamuxHeader.FLAG_RST)) {
      stream.onRemoteReset();
    } else if (h.has(YamuxHeader.FLAG_FIN)) {
      stream.onRemoteFin();
    }
  }

  private YamuxStream acceptInbound(final int id) {
    final String refusal;
    if (goAwaySent) {
      refusal = "we sent GoAway";
    } else if (streams.size() >= config.maxStreamsPerConnection()) {
      refusal = "stream limit " + config.maxStreamsPerConnection() + " reached";
    } else if (negotiating >= config.maxNegotiatingStreams()) {
      refusal = "limit of " + config.maxNegotiatingStreams() + " negotiating streams reached";
    } else if (!takeStreamToken()) {
      refusal = "more than " + config.maxInboundStreamsPerSecond() + " new streams per second";
    } else {
      refusal = null;
    }
    if (refusal != null) {
      LOG.debug("refusing stream {} from {}: {}", id, remotePeer, refusal);
      writeFrame(YamuxHeader.TYPE_WINDOW_UPDATE, YamuxHeader.FLAG_RST, id, 0);
      requestFlush();
      return null;
    }
    final YamuxStream stream =
        new YamuxStream(this, id, false, MultistreamNegotiator.responder(p -> hooks.handler(p).isPresent()));
    register(stream);
    stream.open();
    return stream;
  }

  /** Token bucket: refills at the configured rate, holds at most one second's worth. */
  private boolean takeStreamToken() {
    final long now = System.nanoTime();
    final int rate = config.maxInboundStreamsPerSecond();
    streamTokens = Math.min(rate, streamTokens + (now - tokensRefilledNanos) * rate / 1e9);
    tokensRefilledNanos = now;
    if (streamTokens < 1) {
      return false;
    }
    streamTokens -= 1;
    return true;
  }

  private void register(final YamuxStream stream) {
    streams.put(stream.id(), stream);
    negotiating++;
    streamCount = streams.size();
    final long timeout = config.streamNegotiationTimeout().toMillis();
    ctx.executor()
        .schedule(
            () -> {
              if (stream.isOpen() && stream.isNegotiating()) {
                LOG.debug("stream {} to {}: negotiation timed out", stream.id(), remotePeer);
                stream.reset();
              }
            },
            timeout,
            TimeUnit.MILLISECONDS);
  }

  // ---- called by streams ----

  HostConfig config() {
    return config;
  }

  EventLoop eventLoop() {
    return ctx.channel().eventLoop();
  }

  ByteBufAllocator alloc() {
    return ctx.alloc();
  }

  boolean isChannelWritable() {
    return ctx.channel().isWritable();
  }

  void blockedOnChannel(final YamuxStream stream) {
    blocked.add(stream);
  }

  /**
   * Grants up to {@code wanted} bytes of receive window beyond the spec's 256 KiB, within the
   * connection's budget, so a peer opening many streams cannot make us promise unbounded buffering.
   */
  long reserveWindow(final long wanted) {
    final long granted = Math.max(0, Math.min(wanted, config.connectionReceiveBudget() - windowGranted));
    windowGranted += granted;
    return granted;
  }

  void releaseWindow(final long granted) {
    windowGranted -= granted;
  }

  void onNegotiated(final YamuxStream stream) {
    negotiating--;
  }

  void dispatchInbound(final YamuxStream stream) {
    final Optional<StreamHandler> handler = hooks.handler(stream.protocol());
    if (handler.isEmpty()) {
      stream.reset(); // the handler was removed during negotiation
      return;
    }
    try {
      handler.get().handle(stream);
    } catch (final RuntimeException e) {
      LOG.warn("handler for {} from {} failed, resetting the stream: {}", stream.protocol(), remotePeer, e.toString());
      stream.reset();
    }
  }

  void removeStream(final YamuxStream stream) {
    if (streams.remove(stream.id()) != null) {
      if (stream.isNegotiating()) {
        negotiating--;
      }
      blocked.remove(stream);
      streamCount = streams.size();
      if (streams.isEmpty()) {
        idleSinceNanos = System.nanoTime();
      }
    }
  }

  ChannelFuture writeFrame(final int type, final int flags, final int streamId, final long length) {
    final ByteBuf header = ctx.alloc().buffer(YamuxHeader.SIZE);
    YamuxHeader.write(header, type, flags, streamId, length);
    flushRequested = true;
    return ctx.write(header);
  }

  ChannelFuture writeData(final int streamId, final ByteBuf payload) {
    final ByteBuf header = ctx.alloc().buffer(YamuxHeader.SIZE);
    YamuxHeader.write(header, YamuxHeader.TYPE_DATA, 0, streamId, payload.readableBytes());
    ctx.write(header, ctx.voidPromise());
    flushRequested = true;
    return ctx.write(payload);
  }

  /** Flushes now, or at the end of the current read batch when called while reading. */
  void requestFlush() {
    flushRequested = true;
    if (!inRead) {
      flushIfRequested();
    }
  }

  private void flushIfRequested() {
    if (flushRequested) {
      flushRequested = false;
      ctx.flush();
    }
  }

  // ---- keepalive, errors ----

  private void keepAlive() {
    if (pingOutstanding) {
      LOG.info("closing connection to {}: no keepalive pong within {}", remotePeer, config.keepAliveInterval());
      ctx.close();
      return;
    }
    pingOutstanding = true;
    pingId++;
    writeFrame(YamuxHeader.TYPE_PING, YamuxHeader.FLAG_SYN, 0, pingId & 0xFFFF_FFFFL);
    requestFlush();
  }

  private void protocolError(final String reason) {
    LOG.warn("closing connection to {}: yamux protocol error: {}", remotePeer, reason);
    goAway(YamuxHeader.GO_AWAY_PROTOCOL_ERROR);
  }

  private void goAway(final int code) {
    if (!goAwaySent && ctx.channel().isActive()) {
      goAwaySent = true;
      writeFrame(YamuxHeader.TYPE_GO_AWAY, 0, 0, code);
    }
    ctx.flush();
    ctx.close();
  }

  // ---- Connection ----

  @Override
  public PeerId remotePeer() {
    return remotePeer;
  }

  @Override
  public Multiaddr remoteAddress() {
    return remoteAddress;
  }

  @Override
  public Multiaddr localAddress() {
    return localAddress;
  }

  @Override
  public boolean isInitiator() {
    return dialer;
  }

  @Override
  public CompletableFuture<Stream> newStream(final List<String> protocols) {
    final MultistreamNegotiator negotiator = MultistreamNegotiator.initiator(protocols);
    final CompletableFuture<Stream> result = new CompletableFuture<>();
    final Runnable open =
        () -> {
          if (goAwayReceived || goAwaySent || !ctx.channel().isActive()) {
            result.completeExceptionally(new StreamClosedException("connection to " + remotePeer + " is closing"));
            return;
          }
          if (nextStreamId < 0) {
            result.completeExceptionally(new StreamClosedException("stream ids exhausted on this connection"));
            return;
          }
          final YamuxStream stream = new YamuxStream(this, nextStreamId, true, negotiator);
          nextStreamId += 2;
          register(stream);
          stream.openFuture().whenComplete((s, e) -> {
            if (e != null) {
              result.completeExceptionally(e);
            } else {
              result.complete(s);
            }
          });
          stream.open();
        };
    if (ctx.executor().inEventLoop()) {
      open.run();
    } else {
      ctx.executor().execute(open);
    }
    return result;
  }

  @Override
  public int streamCount() {
    return streamCount;
  }

  /** When the stream table last became empty, or {@link Long#MAX_VALUE} while streams are open. */
  public long idleSinceNanos() {
    return streamCount == 0 ? idleSinceNanos : Long.MAX_VALUE;
  }

  @Override
  public boolean isOpen() {
    return ctx != null && ctx.channel().isActive();
  }

  @Override
  public CompletableFuture<Void> close() {
    ctx.executor().execute(() -> goAway(YamuxHeader.GO_AWAY_NORMAL));
    return closeFuture;
  }

  @Override
  public CompletableFuture<Void> closeFuture() {
    return closeFuture;
  }

  @Override
  public String toString() {
    return "Connection[" + remotePeer + " " + remoteAddress + (dialer ? " out" : " in") + "]";
  }
}
