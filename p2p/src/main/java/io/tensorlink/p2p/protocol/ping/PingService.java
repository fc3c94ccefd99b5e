package io.tensorlink.p2p.protocol.ping;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.tensorlink.p2p.host.Connection;
import io.tensorlink.p2p.host.Stream;
import io.tensorlink.p2p.host.StreamCloseReason;
import io.tensorlink.p2p.host.StreamHandler;
import io.tensorlink.p2p.host.StreamListener;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;

/**
 * {@code /ipfs/ping/1.0.0}: the responder echoes every byte (with backpressure: the window is only
 * returned once the echo is written); {@link #ping} sends 32 random bytes and times the echo.
 */
public final class PingService {
  public static final String PROTOCOL = "/ipfs/ping/1.0.0";
  public static final int PING_SIZE = 32;

  private final SecureRandom random = new SecureRandom();
  private final Duration timeout;

  /** @param timeout how long to wait for the echo before resetting the stream */
  public PingService(final Duration timeout) {
    this.timeout = timeout;
  }

  public StreamHandler responder() {
    return stream -> {
      stream.setAutoRead(false);
      stream.setListener(
          new StreamListener() {
            @Override
            public void onData(final Stream s, final ByteBuf data) {
              final int n = data.readableBytes();
              s.writeAndFlush(data.retain()).whenComplete((v, e) -> s.consumed(n));
            }

            @Override
            public void onRemoteClosed(final Stream s) {
              s.closeWrite();
            }
          });
    };
  }

  /** One round trip on a fresh stream, closed afterwards. */
  public CompletableFuture<Duration> ping(final Connection connection) {
    return connection.newStream(PROTOCOL).thenCompose(this::pingOnce);
  }

  private CompletableFuture<Duration> pingOnce(final Stream stream) {
    final byte[] payload = new byte[PING_SIZE];
    random.nextBytes(payload);
    final CompletableFuture<Duration> result = new CompletableFuture<>();
    final byte[] echoed = new byte[PING_SIZE];
    final int[] filled = {0};
    final long[] sentAt = new long[1];
    stream.setListener(
        new StreamListener() {
          @Override
          public void onData(final Stream s, final ByteBuf data) {
            final int n = Math.min(data.readableBytes(), PING_SIZE - filled[0]);
            data.readBytes(echoed, filled[0], n);
            filled[0] += n;
            if (filled[0] == PING_SIZE && !result.isDone()) {
              final long rtt = System.nanoTime() - sentAt[0];
              if (Arrays.equals(echoed, payload)) {
                result.complete(Duration.ofNanos(rtt));
                s.closeWrite();
              } else {
                result.completeExceptionally(new IllegalStateException("ping echo differs from what was sent"));
                s.reset();
              }
            }
          }

          @Override
          public void onClosed(final Stream s, final StreamCloseReason reason) {
            result.completeExceptionally(new IllegalStateException("ping stream closed (" + reason + ") before the echo"));
          }
        });
    sentAt[0] = System.nanoTime();
    stream.writeAndFlush(Unpooled.wrappedBuffer(payload));
    return stream.resetUnlessAnswered(result, timeout);
  }
}
