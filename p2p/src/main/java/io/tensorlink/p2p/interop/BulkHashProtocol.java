package io.tensorlink.p2p.interop;

import io.netty.buffer.ByteBuf;
import io.tensorlink.p2p.host.Host;
import io.tensorlink.p2p.host.Stream;
import io.tensorlink.p2p.host.StreamCloseReason;
import io.tensorlink.p2p.host.StreamListener;
import io.tensorlink.p2p.peer.PeerId;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * {@code /tl/bulk/1.0.0}, the raw bulk protocol that the js-libp2p interop peer ({@code
 * p2p/interop/peer.mjs}) also speaks: the dialer writes N bytes and half-closes; the listener hashes
 * everything until EOF, answers with the 32-byte SHA-256 and closes. Used by the interop tests and
 * the Noise + yamux throughput benchmark, where both ends do the same work in Java and in js.
 */
public final class BulkHashProtocol {
  public static final String ID = "/tl/bulk/1.0.0";
  public static final int DIGEST_BYTES = 32;
  /** Slice size handed to the stream per write. */
  private static final int WRITE_SLICE = 256 * 1024;

  /**
   * What the listener side saw.
   *
   * @param nanos from the first byte to the peer's FIN
   */
  public record Received(PeerId from, long bytes, byte[] sha256, long nanos) {}

  private BulkHashProtocol() {}

  /** Serves {@link #ID} on {@code host}; {@code onReceived} runs on the stream's event loop. */
  public static void serve(final Host host, final Consumer<Received> onReceived) {
    host.setStreamHandler(ID, stream -> stream.setListener(new Sink(onReceived)));
  }

  /**
   * Sends {@code payload} (taking ownership) to {@code peer} on a new stream, with backpressure.
   * Completes with the digest the peer returned.
   */
  public static CompletableFuture<byte[]> send(final Host host, final PeerId peer, final ByteBuf payload) {
    return host.newStream(peer, ID)
        .whenComplete((s, e) -> {
          if (e != null) {
            payload.release();
          }
        })
        .thenCompose(stream -> {
          final Source source = new Source(payload);
          stream.setListener(source);
          stream.eventLoop().execute(() -> source.pump(stream));
          return source.reply;
        });
  }

  public static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (final NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK always has SHA-256", e);
    }
  }

  /** Listener side: hashes until FIN, then replies. Event-loop confined. */
  private static final class Sink implements StreamListener {
    private final Consumer<Received> onReceived;
    private final MessageDigest digest = sha256();
    private long bytes;
    private long started;

    Sink(final Consumer<Received> onReceived) {
      this.onReceived = onReceived;
    }

    @Override
    public void onData(final Stream stream, final ByteBuf data) {
      if (bytes == 0) {
        started = System.nanoTime();
      }
      bytes += data.readableBytes();
      for (final ByteBuffer part : data.nioBuffers()) {
        digest.update(part);
      }
    }

    @Override
    public void onRemoteClosed(final Stream stream) {
      final byte[] sha = digest.digest();
      stream.writeAndFlush(stream.alloc().buffer(DIGEST_BYTES).writeBytes(sha));
      stream.closeWrite();
      onReceived.accept(new Received(stream.remotePeer(), bytes, sha, System.nanoTime() - started));
    }
  }

  /** Dialer side: writes while the stream is writable, then collects the 32-byte reply. */
  private static final class Source implements StreamListener {
    private final ByteBuf payload;
    private final CompletableFuture<byte[]> reply = new CompletableFuture<>();
    private final byte[] answer = new byte[DIGEST_BYTES];
    private int answered;
    private boolean finished;

    Source(final ByteBuf payload) {
      this.payload = payload;
    }

    void pump(final Stream stream) {
      while (!finished && stream.isWritable() && payload.isReadable()) {
        stream.write(payload.readRetainedSlice(Math.min(WRITE_SLICE, payload.readableBytes())));
      }
      stream.flush();
      if (!finished && !payload.isReadable()) {
        finished = true;
        payload.release();
        stream.closeWrite();
      }
    }

    @Override
    public void onWritabilityChanged(final Stream stream) {
      if (stream.isWritable()) {
        pump(stream);
      }
    }

    @Override
    public void onData(final Stream stream, final ByteBuf data) {
      final int n = Math.min(data.readableBytes(), DIGEST_BYTES - answered);
      data.readBytes(answer, answered, n);
      answered += n;
    }

    @Override
    public void onRemoteClosed(final Stream stream) {
      if (answered == DIGEST_BYTES) {
        reply.complete(answer);
      } else {
        reply.completeExceptionally(new IllegalStateException("peer answered " + answered + " of 32 digest bytes"));
      }
    }

    @Override
    public void onClosed(final Stream stream, final StreamCloseReason reason) {
      if (!finished) {
        finished = true;
        payload.release();
      }
      reply.completeExceptionally(new IllegalStateException("bulk stream closed (" + reason + ") before the reply"));
    }
  }
}
