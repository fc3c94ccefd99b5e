package io.tensorlink.p2p.noise;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.util.concurrent.PromiseNotifier;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayDeque;

/**
 * Encrypts outbound plaintext into Noise transport frames. Writes are coalesced until a flush (or
 * until {@link #EAGER_BYTES} are pending), then cut into maximum-size frames of 65535 bytes, so many
 * small yamux frames share one Noise frame and bulk data pays the 18-byte overhead once per 64 KiB.
 * Ciphertext is written straight into output buffers of up to {@link #FRAMES_PER_BUFFER} frames.
 */
public final class NoiseTransportEncoder extends ChannelOutboundHandlerAdapter {
  public static final int MAX_FRAME = 65535;
  public static final int MAX_PLAINTEXT = MAX_FRAME - NoiseCipherState.TAG_LENGTH;
  /**
   * Frames per output buffer: 8 make 512 KiB, which Netty's adaptive allocator pools (up to 1 MiB);
   * 16 were 16 bytes over, so every buffer was a fresh, zeroed, unpooled allocation.
   */
  static final int FRAMES_PER_BUFFER = 8;
  /** Pending plaintext that triggers encryption without waiting for a flush. */
  static final int EAGER_BYTES = 2 * FRAMES_PER_BUFFER * MAX_PLAINTEXT;

  /** A write's promise and the stream offset just past its last byte. */
  private record PendingWrite(ChannelPromise promise, long end) {}

  private final NoiseCipherState cipher;
  private final ArrayDeque<PendingWrite> promises = new ArrayDeque<>();
  private CompositeByteBuf pending;
  /** Bytes accepted into {@link #pending} so far, counted from the start of the connection. */
  private long accepted;
  /** Bytes encrypted so far. */
  private long encrypted;

  public NoiseTransportEncoder(final NoiseCipherState cipher) {
    this.cipher = cipher;
  }

  @Override
  public void write(final ChannelHandlerContext ctx, final Object msg, final ChannelPromise promise) {
    if (!(msg instanceof ByteBuf buf)) {
      ctx.write(msg, promise);
      return;
    }
    if (pending == null) {
      pending = ctx.alloc().compositeBuffer(1024);
    }
    accepted += buf.readableBytes();
    pending.addComponent(true, buf);
    promises.add(new PendingWrite(promise, accepted));
    if (pending.readableBytes() >= EAGER_BYTES) {
      encrypt(ctx, false);
    }
  }

  @Override
  public void flush(final ChannelHandlerContext ctx) {
    if (pending != null && pending.isReadable()) {
      encrypt(ctx, true);
    } else {
      completeConsumed(ctx.newSucceededFuture());
    }
    ctx.flush();
  }

  /** Encrypts whole frames (and the partial tail when {@code all}), a few frames per output buffer. */
  private void encrypt(final ChannelHandlerContext ctx, final boolean all) {
    while (true) {
      final int readable = pending.readableBytes();
      final int ready = all ? (readable + MAX_PLAINTEXT - 1) / MAX_PLAINTEXT : readable / MAX_PLAINTEXT;
      final int frames = Math.min(ready, FRAMES_PER_BUFFER);
      if (frames == 0) {
        return;
      }
      final int bytes = Math.min(readable, frames * MAX_PLAINTEXT);
      final ByteBuf out = ctx.alloc().buffer(bytes + frames * (2 + NoiseCipherState.TAG_LENGTH));
      try {
        int left = bytes;
        while (left > 0) {
          final int chunk = Math.min(left, MAX_PLAINTEXT);
          out.writeShort(chunk + NoiseCipherState.TAG_LENGTH);
          cipher.encrypt(pending, chunk, out);
          left -= chunk;
        }
      } catch (final RuntimeException e) {
        out.release();
        throw e;
      }
      encrypted += bytes;
      pending.discardReadComponents();
      completeConsumed(ctx.write(out));
    }
  }

  /** Ties every write whose bytes are now all encrypted to {@code future}. */
  private void completeConsumed(final ChannelFuture future) {
    while (!promises.isEmpty() && promises.peek().end() <= encrypted) {
      final ChannelPromise p = promises.poll().promise();
      if (!p.isVoid()) {
        PromiseNotifier.cascade(future, p);
      }
    }
  }

  @Override
  public void handlerRemoved(final ChannelHandlerContext ctx) {
    if (pending != null) {
      pending.release();
      pending = null;
    }
    final ClosedChannelException cause = new ClosedChannelException();
    while (!promises.isEmpty()) {
      promises.poll().promise().tryFailure(cause);
    }
  }
}
