package io.tensorlink.p2p.multistream;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.tensorlink.p2p.util.MalformedInputException;
import io.tensorlink.p2p.util.StartOnActiveDecoder;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * Runs multistream-select on a channel, then hands over: {@code onAgreed} installs the next
 * handlers, and this handler removes itself, which forwards any pipelined bytes that followed the
 * agreement to them. A refusal is reported as a {@link MalformedInputException}.
 */
public final class MultistreamHandler extends StartOnActiveDecoder {
  private final MultistreamNegotiator negotiator;
  private final BiConsumer<ChannelHandlerContext, String> onAgreed;

  public MultistreamHandler(
      final MultistreamNegotiator negotiator, final BiConsumer<ChannelHandlerContext, String> onAgreed) {
    this.negotiator = negotiator;
    this.onAgreed = onAgreed;
  }

  @Override
  protected void onStart(final ChannelHandlerContext ctx) {
    ctx.writeAndFlush(negotiator.start(ctx.alloc()));
  }

  @Override
  protected void decode(final ChannelHandlerContext ctx, final ByteBuf in, final List<Object> out) {
    final ByteBuf reply = ctx.alloc().buffer(64);
    final MultistreamNegotiator.Outcome outcome;
    try {
      outcome = negotiator.onData(in, reply);
    } catch (final RuntimeException e) {
      reply.release();
      throw e;
    }
    if (reply.isReadable()) {
      ctx.writeAndFlush(reply);
    } else {
      reply.release();
    }
    switch (outcome) {
      case MultistreamNegotiator.Outcome.Pending p -> {}
      case MultistreamNegotiator.Outcome.Agreed a -> {
        onAgreed.accept(ctx, a.protocol());
        ctx.pipeline().remove(this);
      }
      case MultistreamNegotiator.Outcome.Refused r ->
          throw new MalformedInputException("peer refused all of " + r.proposals());
    }
  }
}
