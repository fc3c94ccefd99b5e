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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
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
  /** Received bytes that make the event loop hand a batch to the hashing thread at once. */
  private static final int HASH_BATCH = 1024 * 1024;

  /**
   * What the listener side saw.
   *
   * @param nanos from the first byte to the peer's FIN
   */
  public record Received(PeerId from, long bytes, byte[] sha256, long nanos) {}

  private BulkHashProtocol() {}

  /** Serves {@link #ID} on {@code host}; {@code onReceived} runs on the stream's event loop. */
  public static void serve(final Host host, final Consumer<Received> onReceived) {
    host.setStreamHandler(ID, stream -> {
      stream.setAutoRead(false);
      stream.setListener(new Sink(stream, onReceived));
    });
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

  /**
   * Listener side: hashes until FIN, then replies. The event loop only retains each chunk and queues
   * it; a thread per stream hashes it, releases it and returns its receive window, so the
   * loop's core is free to decrypt the next frames while the previous ones are hashed (with both on
   * the loop, decrypting and hashing alternate on one core and the receiver's loop is the slowest
   * stage of the transfer). Chunks go over in batches: at the end of the event loop's pass that
   * received them (a task queued with the first chunk), or at {@link #HASH_BATCH} bytes, so the
   * hashing thread is woken about once per socket read burst rather than once per Noise frame (a
   * hand-over per 128 KiB cost ~0.2 CPU-s/GB more than per MiB). A batch must never wait for more
   * bytes: the window only reopens once a batch is hashed, and a stream's window can be as small as
   * yamux's initial 256 KiB (once the connection's window budget is spent). Auto-read is off: the window only moves once bytes are hashed, so at most one
   * receive window waits in the queue.
   */
  private static final class Sink implements StreamListener {
    /** Queue entries: chunks to hash (owned by the queue), the peer's FIN, or the stream's end. */
    private sealed interface Item {}

    private record Batch(List<ByteBuf> chunks) implements Item {}

    private record Fin() implements Item {}

    private record Gone() implements Item {}

    private final Consumer<Received> onReceived;
    private final Stream stream;
    private final BlockingQueue<Item> queue = new LinkedBlockingQueue<>();
    private final MessageDigest digest = sha256();
    private List<ByteBuf> batch = new ArrayList<>();
    private long batchBytes;
    private boolean handOverQueued;
    private long bytes;
    private long started;

    Sink(final Stream stream, final Consumer<Received> onReceived) {
      this.stream = stream;
      this.onReceived = onReceived;
      // A platform thread: waking a parked virtual thread also wakes a carrier and remounts the
      // continuation, which measured ~0.1 CPU-s/GB more; bulk streams are few and long.
      Thread.ofPlatform().daemon().name("bulk-hash-" + stream.id()).start(this::hashUntilDone);
    }

    @Override
    public void onData(final Stream s, final ByteBuf data) {
      if (bytes == 0) {
        started = System.nanoTime();
      }
      bytes += data.readableBytes();
      if (!handOverQueued) {
        handOverQueued = true;
        s.eventLoop().execute(() -> {
          handOverQueued = false;
          handOver();
        });
      }
      batch.add(data.retain());
      batchBytes += data.readableBytes();
      if (batchBytes >= HASH_BATCH) {
        handOver();
      }
    }

    @Override
    public void onRemoteClosed(final Stream s) {
      handOver();
      queue.add(new Fin());
    }

    @Override
    public void onClosed(final Stream s, final StreamCloseReason reason) {
      handOver();
      queue.add(new Gone());
    }

    private void handOver() {
      if (!batch.isEmpty()) {
        queue.add(new Batch(batch));
        batch = new ArrayList<>();
        batchBytes = 0;
      }
    }

    private void hashUntilDone() {
      try {
        while (true) {
          // Credit goes back once per batch the queue held, not per chunk: each call is a task on the loop.
          int hashed = 0;
          Item item = queue.take();
          do {
            switch (item) {
              case Batch b -> hashed += hash(b.chunks());
              case Fin f -> {
                reply();
                return;
              }
              case Gone g -> {
                return;
              }
            }
            item = queue.poll();
          } while (item != null);
          if (hashed > 0) {
            stream.consumed(hashed);
          }
        }
      } catch (final InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        queue.forEach(item -> {
          if (item instanceof Batch b) {
            b.chunks().forEach(ByteBuf::release);
          }
        });
      }
    }

    private int hash(final List<ByteBuf> chunks) {
      int n = 0;
      for (final ByteBuf data : chunks) {
        try {
          n += data.readableBytes();
          for (final ByteBuffer part : data.nioBuffers()) {
            digest.update(part);
          }
        } finally {
          data.release();
        }
      }
      return n;
    }

    private void reply() {
      final byte[] sha = digest.digest();
      final long nanos = System.nanoTime() - started;
      stream.writeAndFlush(stream.alloc().buffer(DIGEST_BYTES).writeBytes(sha));
      stream.closeWrite();
      stream.eventLoop().execute(() -> onReceived.accept(new Received(stream.remotePeer(), bytes, sha, nanos)));
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
