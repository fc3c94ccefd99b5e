package io.tensorlink.p2p.transport;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.local.LocalAddress;
import io.netty.channel.local.LocalChannel;
import io.netty.channel.local.LocalServerChannel;
import io.netty.util.ReferenceCountUtil;
import io.tensorlink.p2p.host.Stream;
import io.tensorlink.p2p.host.StreamCloseReason;
import io.tensorlink.p2p.host.StreamListener;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Lets the connection pipeline (multistream, Noise, yamux) run over a byte stream instead of a TCP
 * socket, for connections through a relay circuit: an in-process channel pair, one end carrying
 * the upgrade pipeline, the other pumping bytes to and from the carrier stream. Closing either side
 * closes the other.
 */
final class CircuitBridge {
  private CircuitBridge() {}

  /**
   * @param listen how to take the carrier's inbound bytes (a relayed stream replays what it parked)
   * @param install installs the upgrade pipeline on the connection's channel, before it is active
   * @return completes once the pair is connected
   */
  static CompletableFuture<Void> open(
      final EventLoopGroup group, final Stream carrier, final Consumer<StreamListener> listen, final Consumer<Channel> install) {
    final LocalAddress address = new LocalAddress("tl-circuit-" + UUID.randomUUID());
    final CompletableFuture<Void> ready = new CompletableFuture<>();
    final ChannelFuture bound =
        new ServerBootstrap()
            .group(group)
            .channel(LocalServerChannel.class)
            .childHandler(new ChannelInitializer<LocalChannel>() {
              @Override
              protected void initChannel(final LocalChannel ch) {
                ch.pipeline().addLast(new Pump(carrier, listen));
              }
            })
            .bind(address);
    bound.addListener((ChannelFuture b) -> {
      if (!b.isSuccess()) {
        ready.completeExceptionally(b.cause());
        return;
      }
      new Bootstrap()
          .group(group)
          .channel(LocalChannel.class)
          .handler(new ChannelInitializer<LocalChannel>() {
            @Override
            protected void initChannel(final LocalChannel ch) {
              install.accept(ch);
            }
          })
          .connect(address)
          .addListener((ChannelFuture c) -> {
            b.channel().close(); // one connection per bridge
            if (c.isSuccess()) {
              ready.complete(null);
            } else {
              carrier.reset();
              ready.completeExceptionally(c.cause());
            }
          });
    });
    return ready;
  }

  /** The carrier's end: bytes from the channel go to the carrier and back. */
  private static final class Pump extends ChannelInboundHandlerAdapter {
    private final Stream carrier;
    private final Consumer<StreamListener> listen;

    Pump(final Stream carrier, final Consumer<StreamListener> listen) {
      this.carrier = carrier;
      this.listen = listen;
    }

    @Override
    public void channelActive(final ChannelHandlerContext ctx) throws Exception {
      final Channel channel = ctx.channel();
      listen.accept(new StreamListener() {
        @Override
        public void onData(final Stream s, final ByteBuf data) {
          channel.writeAndFlush(data.retain());
        }

        @Override
        public void onRemoteClosed(final Stream s) {
          channel.close();
        }

        @Override
        public void onClosed(final Stream s, final StreamCloseReason reason) {
          channel.close();
        }
      });
      super.channelActive(ctx);
    }

    @Override
    public void channelRead(final ChannelHandlerContext ctx, final Object msg) {
      if (msg instanceof ByteBuf data) {
        carrier.writeAndFlush(data);
      } else {
        ReferenceCountUtil.release(msg);
      }
    }

    @Override
    public void channelInactive(final ChannelHandlerContext ctx) throws Exception {
      carrier.closeWrite();
      super.channelInactive(ctx);
    }
  }
}
