package io.tensorlink.p2p.protocol.tensor;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.tensorlink.p2p.host.Stream;
import io.tensorlink.p2p.host.StreamCloseReason;
import io.tensorlink.p2p.host.StreamListener;
import io.tensorlink.p2p.util.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Framed, back-pressured bulk messages over one stream, in both directions. Sending cuts the
 * payload into 1 MiB CHUNK frames (slices, no copy) and stops while the stream is unwritable,
 * resuming when it drains; receiving verifies every frame's CRC32C and the message's byte and chunk
 * counts, and streams chunks to a {@link BulkMessageListener}. Any violation resets the stream with
 * a logged reason.
 */
public final class BulkChannel implements StreamListener {
  public static final int CHUNK_SIZE = 1024 * 1024;
  private static final Logger LOG = LoggerFactory.getLogger(BulkChannel.class);

  private static final class Outgoing {
    final byte[] metadata;
    final ByteBuf payload;
    final CompletableFuture<Void> future = new CompletableFuture<>();
    boolean started;
    long bytes;
    int chunks;

    Outgoing(final byte[] metadata, final ByteBuf payload) {
      this.metadata = metadata;
      this.payload = payload;
    }
  }

  private final Stream stream;
  private final BulkLimits limits;
  private final BulkMessageListener listener;
  private final BulkFrameDecoder decoder;
  private final ArrayDeque<Outgoing> outgoing = new ArrayDeque<>();
  private CompletableFuture<Void> closeRequested;
  private boolean inMessage;
  private long receivedBytes;
  private int receivedChunks;
  private boolean failed;

  private BulkChannel(final Stream stream, final BulkLimits limits, final BulkMessageListener listener) {
    this.stream = stream;
    this.limits = limits;
    this.listener = listener;
    this.decoder = new BulkFrameDecoder(limits, stream.alloc());
  }

  /** Takes over {@code stream} (it becomes the stream's listener). */
  public static BulkChannel attach(final Stream stream, final BulkLimits limits, final BulkMessageListener listener) {
    final BulkChannel channel = new BulkChannel(stream, limits, listener);
    stream.setListener(channel);
    return channel;
  }

  public Stream stream() {
    return stream;
  }

  /**
   * Queues one message; takes ownership of {@code payload}. Completes when its last frame has been
   * written to the connection.
   */
  public CompletableFuture<Void> send(final byte[] metadata, final ByteBuf payload) {
    if (metadata.length > limits.maxMetadata()) {
      payload.release();
      return CompletableFuture.failedFuture(
          new IllegalArgumentException("metadata of " + metadata.length + " bytes exceeds " + limits.maxMetadata()));
    }
    final Outgoing message = new Outgoing(metadata.clone(), payload);
    onLoop(
        () -> {
          if (failed || closeRequested != null) {
            payload.release();
            message.future.completeExceptionally(new IllegalStateException("bulk channel is closed"));
            return;
          }
          outgoing.add(message);
          pump();
        });
    return message.future;
  }

  /**
   * Abandons the message being sent (the oldest queued one). If its START already went out, an
   * ABORT frame carrying {@code reason} (UTF-8, cut at {@link BulkFrame#MAX_ABORT_REASON} bytes)
   * tells the receiver, whose listener gets {@code onFailure("peer aborted: " + reason)}; a message
   * not started yet is just dropped. Its {@link #send} future fails with a {@link
   * CancellationException} naming the reason; messages queued behind it are sent as usual, so the
   * stream stays usable. Completes with whether there was a message to abort.
   */
  public CompletableFuture<Boolean> abort(final String reason) {
    final CompletableFuture<Boolean> done = new CompletableFuture<>();
    onLoop(
        () -> {
          final Outgoing m = failed ? null : outgoing.poll();
          if (m == null) {
            done.complete(false);
            return;
          }
          m.payload.release();
          m.future.completeExceptionally(new CancellationException("bulk message aborted: " + reason));
          if (m.started) {
            final byte[] text = reason.getBytes(StandardCharsets.UTF_8);
            final int length = Math.min(text.length, BulkFrame.MAX_ABORT_REASON);
            writeFrame(BulkFrame.TYPE_ABORT, Unpooled.wrappedBuffer(text, 0, length))
                .whenComplete((v, e) -> {
                  if (e == null) {
                    done.complete(true);
                  } else {
                    done.completeExceptionally(e);
                  }
                });
            stream.flush();
          } else {
            done.complete(true);
          }
          pump();
        });
    return done;
  }

  /** Half-closes the stream once every queued message is sent. */
  public CompletableFuture<Void> close() {
    final CompletableFuture<Void> done = new CompletableFuture<>();
    onLoop(
        () -> {
          closeRequested = done;
          pump();
        });
    return done;
  }

  private void pump() {
    boolean wrote = false;
    while (!outgoing.isEmpty() && stream.isWritable()) {
      final Outgoing m = outgoing.peek();
      if (!m.started) {
        m.started = true;
        writeFrame(BulkFrame.TYPE_START, Unpooled.wrappedBuffer(m.metadata));
      } else if (m.payload.isReadable()) {
        final ByteBuf chunk = m.payload.readRetainedSlice(Math.min(CHUNK_SIZE, m.payload.readableBytes()));
        m.bytes += chunk.readableBytes();
        m.chunks++;
        writeFrame(BulkFrame.TYPE_CHUNK, chunk);
      } else {
        final ByteBuf end = stream.alloc().buffer(BulkFrame.END_PAYLOAD_SIZE).writeLong(m.bytes).writeInt(m.chunks);
        writeFrame(BulkFrame.TYPE_END, end).whenComplete((v, e) -> complete(m.future, e));
        outgoing.poll();
        m.payload.release();
      }
      wrote = true;
    }
    if (wrote) {
      stream.flush();
    }
    if (outgoing.isEmpty() && closeRequested != null && !closeRequested.isDone()) {
      stream.closeWrite().whenComplete((v, e) -> complete(closeRequested, e));
    }
  }

  private CompletableFuture<Void> writeFrame(final int type, final ByteBuf payload) {
    final ByteBuf header = stream.alloc().buffer(BulkFrame.HEADER_SIZE);
    BulkFrame.writeHeader(header, type, payload.readableBytes());
    final ByteBuf trailer = stream.alloc().buffer(BulkFrame.TRAILER_SIZE).writeInt(BulkFrame.checksum(header, payload));
    final CompositeByteBuf frame = stream.alloc().compositeBuffer(3);
    frame.addComponents(true, header, payload, trailer);
    return stream.write(frame);
  }

  // ---- inbound ----

  @Override
  public void onData(final Stream s, final ByteBuf data) {
    if (failed) {
      return;
    }
    try {
      decoder.decode(data, this::onFrame);
    } catch (final MalformedInputException e) {
      fail("malformed bulk input: " + e.getMessage(), true);
    }
  }

  private void onFrame(final int type, final ByteBuf payload) {
    try {
      switch (type) {
        case BulkFrame.TYPE_START -> {
          requireMessage(false, "START");
          final byte[] metadata = new byte[payload.readableBytes()];
          payload.readBytes(metadata);
          inMessage = true;
          receivedBytes = 0;
          receivedChunks = 0;
          listener.onStart(this, metadata);
        }
        case BulkFrame.TYPE_CHUNK -> {
          requireMessage(true, "CHUNK");
          receivedBytes += payload.readableBytes();
          receivedChunks++;
          if (receivedBytes > limits.maxMessage()) {
            throw new MalformedInputException("bulk message exceeds " + limits.maxMessage() + " bytes");
          }
          listener.onChunk(this, payload);
        }
        case BulkFrame.TYPE_END -> {
          requireMessage(true, "END");
          final long total = payload.readLong();
          final int chunks = payload.readInt();
          if (total != receivedBytes || chunks != receivedChunks) {
            throw new MalformedInputException(
                "bulk END says " + total + " bytes in " + chunks + " chunks, received " + receivedBytes + " in " + receivedChunks);
          }
          inMessage = false;
          listener.onEnd(this, total);
        }
        case BulkFrame.TYPE_ABORT -> {
          inMessage = false;
          listener.onFailure(this, "peer aborted: " + payload.toString(StandardCharsets.UTF_8));
        }
        default -> throw new MalformedInputException("unknown bulk frame type " + type);
      }
    } finally {
      payload.release();
    }
  }

  private void requireMessage(final boolean expected, final String frame) {
    if (inMessage != expected) {
      throw new MalformedInputException("bulk " + frame + " frame " + (expected ? "outside" : "inside") + " a message");
    }
  }

  @Override
  public void onRemoteClosed(final Stream s) {
    if (inMessage) {
      fail("peer closed the stream in the middle of a message", false);
    } else {
      listener.onRemoteClosed(this);
    }
  }

  @Override
  public void onWritabilityChanged(final Stream s) {
    if (s.isWritable()) {
      pump();
    }
  }

  @Override
  public void onClosed(final Stream s, final StreamCloseReason reason) {
    decoder.release();
    if (!outgoing.isEmpty() || inMessage) {
      fail("stream closed (" + reason + ")", false);
    }
  }

  private void fail(final String reason, final boolean reset) {
    if (failed) {
      return;
    }
    failed = true;
    LOG.warn("bulk stream {} ({}) with {}: {}", stream.id(), stream.protocol(), stream.remotePeer(), reason);
    inMessage = false;
    final IllegalStateException cause = new IllegalStateException(reason);
    for (final Outgoing m : outgoing) {
      m.payload.release();
      m.future.completeExceptionally(cause);
    }
    outgoing.clear();
    if (closeRequested != null) {
      closeRequested.completeExceptionally(cause);
    }
    listener.onFailure(this, reason);
    if (reset) {
      stream.reset();
    }
  }

  private void onLoop(final Runnable task) {
    if (stream.eventLoop().inEventLoop()) {
      task.run();
    } else {
      stream.eventLoop().execute(task);
    }
  }

  private static void complete(final CompletableFuture<Void> future, final Throwable error) {
    if (error == null) {
      future.complete(null);
    } else {
      future.completeExceptionally(error);
    }
  }
}
