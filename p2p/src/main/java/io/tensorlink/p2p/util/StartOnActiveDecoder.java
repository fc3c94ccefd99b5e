package io.tensorlink.p2p.util;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;

/**
 * A decoder for an upgrade step that speaks first: {@link #onStart} runs exactly once, as soon as
 * the channel is active, whether the handler was added before or after activation (upgrade steps
 * are installed mid-pipeline on live connections).
 */
public abstract class StartOnActiveDecoder extends ByteToMessageDecoder {
  private boolean started;

  @Override
  public void handlerAdded(final ChannelHandlerContext ctx) throws Exception {
    super.handlerAdded(ctx);
    if (ctx.channel().isActive()) {
      start(ctx);
    }
  }

  @Override
  public void channelActive(final ChannelHandlerContext ctx) throws Exception {
    start(ctx);
    super.channelActive(ctx);
  }

  private void start(final ChannelHandlerContext ctx) {
    if (!started) {
      started = true;
      onStart(ctx);
    }
  }

  /** Sends this step's opening message, if it has one. */
  protected abstract void onStart(ChannelHandlerContext ctx);
}
