package io.tensorlink.p2p.host;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.EventLoop;
import io.tensorlink.p2p.peer.PeerId;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One multiplexed (yamux) stream to a peer, with a negotiated protocol.
 *
 * <p><b>Threading.</b> Every {@link StreamListener} callback runs on {@link #eventLoop()}, the
 * connection's Netty event loop; never block in one. The write and close methods may be called
 * from any thread (they hop onto the event loop), but calling them on the event loop avoids a task
 * hand-off per call.
 *
 * <p><b>Buffer ownership.</b> {@link #write} takes ownership of the buffer (it is released once sent
 * or when the stream fails). Buffers passed to {@link StreamListener#onData} are released after the
 * callback returns; {@code retain()} them to keep them.
 *
 * <p><b>Backpressure.</b> Writes are queued while the peer's yamux window is exhausted. {@link
 * #isWritable()} turns false once more than {@link HostConfig#streamWriteBufferHighWaterMark()} bytes
 * are queued and true again below the low-water mark; {@link
 * StreamListener#onWritabilityChanged} reports both transitions. Inbound, the peer can send no more
 * than our receive window; window updates are sent as {@code onData} returns, unless {@link
 * #setAutoRead(boolean) auto-read} is off.
 */
public interface Stream {
  /** The protocol id agreed by multistream-select, e.g. {@code /tl/tensor/1.0.0}. */
  String protocol();

  PeerId remotePeer();

  Connection connection();

  /** Whether we opened this stream. */
  boolean isInitiator();

  /** The yamux stream id. */
  int id();

  EventLoop eventLoop();

  ByteBufAllocator alloc();

  /**
   * Sets the listener for inbound events. Data that arrived before a listener was set is buffered
   * (within the receive window) and delivered when the listener is set.
   */
  void setListener(StreamListener listener);

  /** Queues {@code data} (taking ownership); it is sent on the next {@link #flush()}. */
  CompletableFuture<Void> write(ByteBuf data);

  void flush();

  /** {@link #write} then {@link #flush}; the future completes when the bytes reach the socket. */
  CompletableFuture<Void> writeAndFlush(ByteBuf data);

  boolean isWritable();

  /**
   * When off, inbound data is still delivered but our receive window is not replenished until
   * {@link #consumed(int)} is called, so a slow consumer stalls the sender instead of buffering.
   * On by default.
   */
  void setAutoRead(boolean autoRead);

  /** Returns {@code bytes} of receive window to the peer (only needed with auto-read off). */
  void consumed(int bytes);

  /** Half-closes: sends FIN after queued data. Inbound data may still arrive. */
  CompletableFuture<Void> closeWrite();

  /** Half-closes our side and, once the peer has also closed, the stream is done. */
  default CompletableFuture<Void> close() {
    return closeWrite();
  }

  /** Aborts the stream in both directions (yamux RST); queued data is dropped. */
  void reset();

  boolean isOpen();

  /**
   * {@code reply}, failed with a {@link java.util.concurrent.TimeoutException} unless it completes
   * within {@code timeout}; on any failure the stream is reset, so a silent peer cannot pin the
   * stream (and the connection) forever.
   */
  default <T> CompletableFuture<T> resetUnlessAnswered(final CompletableFuture<T> reply, final Duration timeout) {
    return reply
        .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
        .whenComplete(
            (value, error) -> {
              if (error != null) {
                reset();
              }
            });
  }

  /** Completes when both directions are closed or the stream was reset. */
  CompletableFuture<StreamCloseReason> closeFuture();
}
