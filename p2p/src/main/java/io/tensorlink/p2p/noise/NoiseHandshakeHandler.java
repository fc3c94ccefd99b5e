package io.tensorlink.p2p.noise;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.tensorlink.p2p.util.MalformedInputException;
import io.tensorlink.p2p.util.StartOnActiveDecoder;
import java.util.List;

/**
 * Runs {@link NoiseXX} over 2-byte length-prefixed frames. On success it calls {@code onComplete}
 * (which installs the transport codec after this handler) and removes itself, forwarding bytes the
 * peer sent right after its last handshake message.
 */
public final class NoiseHandshakeHandler extends StartOnActiveDecoder {
  /** Completes the upgrade: install transport handlers after {@code ctx}. */
  @FunctionalInterface
  public interface CompletionCallback {
    void onComplete(ChannelHandlerContext ctx, NoiseXX handshake);
  }

  private final NoiseXX handshake;
  private final CompletionCallback onComplete;

  public NoiseHandshakeHandler(final NoiseXX handshake, final CompletionCallback onComplete) {
    this.handshake = handshake;
    this.onComplete = onComplete;
  }

  @Override
  protected void onStart(final ChannelHandlerContext ctx) {
    if (handshake.isMyTurn()) {
      send(ctx, handshake.writeMessage());
    }
  }

  @Override
  protected void decode(final ChannelHandlerContext ctx, final ByteBuf in, final List<Object> out) {
    if (handshake.isComplete() || in.readableBytes() < 2) {
      return;
    }
    final int length = in.getUnsignedShort(in.readerIndex());
    if (in.readableBytes() < 2 + length) {
      return;
    }
    in.skipBytes(2);
    final byte[] message = new byte[length];
    in.readBytes(message);
    if (handshake.isMyTurn()) {
      throw new MalformedInputException("noise: peer sent a handshake message out of turn");
    }
    handshake.readMessage(message);
    if (handshake.isMyTurn()) {
      send(ctx, handshake.writeMessage());
    }
    if (handshake.isComplete()) {
      onComplete.onComplete(ctx, handshake);
      ctx.pipeline().remove(this);
    }
  }

  private static void send(final ChannelHandlerContext ctx, final byte[] message) {
    final ByteBuf frame = ctx.alloc().buffer(2 + message.length);
    frame.writeShort(message.length);
    frame.writeBytes(message);
    ctx.writeAndFlush(frame);
  }
}
