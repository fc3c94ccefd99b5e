package io.tensorlink.p2p.transport;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.tensorlink.p2p.host.HostConfig;
import io.tensorlink.p2p.multiaddr.Multiaddr;
import io.tensorlink.p2p.multistream.MultistreamHandler;
import io.tensorlink.p2p.multistream.MultistreamNegotiator;
import io.tensorlink.p2p.noise.NoiseCipherState;
import io.tensorlink.p2p.noise.NoiseHandshakeHandler;
import io.tensorlink.p2p.noise.NoiseTransportDecoder;
import io.tensorlink.p2p.noise.NoiseTransportEncoder;
import io.tensorlink.p2p.noise.NoiseXX;
import io.tensorlink.p2p.peer.PeerId;
import io.tensorlink.p2p.yamux.YamuxSession;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the pipeline that upgrades a raw TCP channel: multistream-select {@code /noise}, the Noise
 * XX handshake, then (encrypted) multistream-select {@code /yamux/1.0.0}, then the yamux session.
 * Each stage installs the next and removes itself, so bytes the peer pipelined flow on.
 */
final class ConnectionUpgrader {
  static final String NOISE = "/noise";
  static final String YAMUX = "/yamux/1.0.0";
  private static final Logger LOG = LoggerFactory.getLogger(ConnectionUpgrader.class);

  private ConnectionUpgrader() {}

  /**
   * Installs the upgrade; {@code result} completes with the session or fails with the reason.
   *
   * @param addresses the connection's (remote, local) multiaddrs when the channel's socket addresses
   *     do not say (a connection over a relay circuit); empty for TCP
   */
  static void install(
      final Channel channel,
      final HostConfig config,
      final boolean dialer,
      final Optional<PeerId> expectedPeer,
      final Optional<Multiaddr[]> addresses,
      final YamuxSession.Hooks hooks,
      final CompletableFuture<YamuxSession> result) {
    final NoiseXX handshake =
        dialer ? NoiseXX.initiator(config.identity(), expectedPeer) : NoiseXX.responder(config.identity());
    channel
        .pipeline()
        .addLast(
            "security-select",
            new MultistreamHandler(
                negotiator(dialer, NOISE),
                (ctx, protocol) ->
                    ctx.pipeline()
                        .addAfter(
                            ctx.name(),
                            "noise-handshake",
                            new NoiseHandshakeHandler(
                                handshake, (hctx, hs) -> onSecured(hctx, hs, config, dialer, addresses, hooks, result)))))
        .addLast("errors", new ErrorHandler(result));
    final long timeout = config.handshakeTimeout().toMillis();
    channel
        .eventLoop()
        .schedule(
            () -> {
              if (result.completeExceptionally(new TimeoutException("connection upgrade timed out after " + timeout + " ms"))) {
                LOG.debug("closing {}: upgrade timed out", channel.remoteAddress());
                channel.close();
              }
            },
            timeout,
            TimeUnit.MILLISECONDS);
    channel.closeFuture().addListener(f -> result.completeExceptionally(new IllegalStateException("connection closed during upgrade")));
  }

  private static void onSecured(
      final ChannelHandlerContext ctx,
      final NoiseXX handshake,
      final HostConfig config,
      final boolean dialer,
      final Optional<Multiaddr[]> addresses,
      final YamuxSession.Hooks hooks,
      final CompletableFuture<YamuxSession> result) {
    final NoiseCipherState[] ciphers = handshake.split();
    final PeerId remote = handshake.remotePeer();
    ctx.pipeline()
        .addAfter(ctx.name(), "noise-decoder", new NoiseTransportDecoder(ciphers[1]))
        .addAfter("noise-decoder", "noise-encoder", new NoiseTransportEncoder(ciphers[0]))
        .addAfter(
            "noise-encoder",
            "muxer-select",
            new MultistreamHandler(
                negotiator(dialer, YAMUX),
                (mctx, protocol) -> {
                  final Channel ch = mctx.channel();
                  final Multiaddr[] ends =
                      addresses.orElseGet(() -> new Multiaddr[] {
                        Multiaddr.fromSocketAddress((InetSocketAddress) ch.remoteAddress()),
                        Multiaddr.fromSocketAddress((InetSocketAddress) ch.localAddress())
                      });
                  final YamuxSession session = new YamuxSession(config, dialer, remote, ends[0], ends[1], hooks);
                  mctx.pipeline().addAfter(mctx.name(), "yamux", session);
                  if (!result.complete(session)) {
                    ch.close();
                  }
                }));
  }

  private static MultistreamNegotiator negotiator(final boolean dialer, final String protocol) {
    return dialer ? MultistreamNegotiator.initiator(List.of(protocol)) : MultistreamNegotiator.responder(protocol::equals);
  }

  /** Last in the pipeline: any exception closes the connection with the reason logged. */
  private static final class ErrorHandler extends ChannelInboundHandlerAdapter {
    private final CompletableFuture<YamuxSession> upgrade;
    private boolean reported;

    ErrorHandler(final CompletableFuture<YamuxSession> upgrade) {
      this.upgrade = upgrade;
    }

    @Override
    public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause) {
      final Throwable reason = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
      if (reported) {
        return; // decoders may fail again on bytes still buffered while the channel closes
      }
      reported = true;
      LOG.warn("closing connection {}: {}", ctx.channel().remoteAddress(), reason.getMessage() == null ? reason : reason.getMessage());
      upgrade.completeExceptionally(reason);
      ctx.close();
    }

    @Override
    public void channelRead(final ChannelHandlerContext ctx, final Object msg) {
      io.netty.util.ReferenceCountUtil.release(msg);
    }
  }
}
