package io.tensorlink.chain.job.tensor;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.tensorlink.chain.pol.EthAddress;
import io.tensorlink.chain.pol.wire.TensorCodec;
import io.tensorlink.chain.pol.wire.WireException;
import io.tensorlink.compute.tensor.NamedTensors;
import io.tensorlink.p2p.host.Host;
import io.tensorlink.p2p.host.Stream;
import io.tensorlink.p2p.multiaddr.Multiaddr;
import io.tensorlink.p2p.peer.PeerId;
import io.tensorlink.p2p.protocol.tensor.BulkChannel;
import io.tensorlink.p2p.protocol.tensor.BulkLimits;
import io.tensorlink.p2p.protocol.tensor.BulkMessageListener;
import io.tensorlink.p2p.protocol.tensor.TensorLinkProtocols;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.tuweni.bytes.Bytes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's {@code /tl/tensor/1.0.0}: one stream handler for every job the node works on, and one
 * outgoing stream per neighbour peer. Each message is a bulk message ({@code BulkChannel}: length
 * prefixed, CRC-checked frames) whose metadata is a {@link FrameHeader} and whose payload is a
 * tensor set. The header is checked before any payload is buffered ({@link CellInbox#accept}),
 * the payload is cut off at the frame's expected size, decoded off the event loop and checked
 * against the expected names and shapes. A refused frame is logged with its reason, counted in
 * {@link #rejections()}, and dropped; the job's other frames are not affected.
 *
 * <p>Nodes learn of an assignment at slightly different times, so a neighbour's first frame can
 * arrive before this node registered the job. Such a frame is held (at most {@link
 * #MAX_EARLY_BYTES} in all, for at most {@link #EARLY_TTL}) and checked like any other once the job
 * is registered; dropping it would leave the cell waiting for a frame its sender thinks delivered.
 */
public final class TensorEndpoint implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TensorEndpoint.class);
  /** The largest message any frame may be; each frame is held to its own, much smaller, bound. */
  private static final long MAX_MESSAGE = 1L << 30;
  private static final int KEPT_REJECTIONS = 256;
  static final long MAX_EARLY_BYTES = 256L << 20;
  static final Duration EARLY_TTL = Duration.ofSeconds(60);

  private final Host host;
  private final Map<BigInteger, Job> jobs = new ConcurrentHashMap<>();
  private final Map<PeerId, CompletableFuture<BulkChannel>> outgoing = new ConcurrentHashMap<>();
  private final Deque<String> rejections = new ArrayDeque<>();
  private final ExecutorService decoder =
      Executors.newFixedThreadPool(2, Thread.ofPlatform().name("tensor-decode-", 0).daemon().factory());

  /** Frames for jobs not registered yet, by job; guarded by itself, as is {@link #earlyBytes}. */
  private final Map<BigInteger, List<EarlyFrame>> early = new HashMap<>();
  private long earlyBytes;

  private record Job(CellInbox inbox, PeerBindings bindings) {}

  private record EarlyFrame(PeerId peer, FrameHeader header, byte[] payload, long arrivedNanos) {}

  public TensorEndpoint(final Host host) {
    this.host = host;
    host.setStreamHandler(TensorLinkProtocols.TENSOR, this::onStream);
  }

  /** Starts accepting frames for {@code inbox}'s job from the peers {@code bindings} names. */
  public void register(final CellInbox inbox, final PeerBindings bindings) {
    final Job job = new Job(inbox, bindings);
    if (jobs.putIfAbsent(inbox.jobId(), job) != null) {
      throw new IllegalStateException("this node already works on job " + inbox.jobId());
    }
    admitEarly(inbox.jobId(), job);
  }

  public void unregister(final BigInteger jobId) {
    jobs.remove(jobId);
  }

  /** How many frames are held for jobs this node has not registered. */
  public int heldFrames() {
    synchronized (early) {
      return early.values().stream().mapToInt(List::size).sum();
    }
  }

  /** The reasons of the latest refused frames, oldest first. */
  public List<String> rejections() {
    synchronized (rejections) {
      return List.copyOf(rejections);
    }
  }

  /**
   * Sends one frame to {@code to}'s peer; completes when it is written to the connection. A failed
   * stream is dropped so the next frame opens a new one.
   */
  public CompletableFuture<Void> send(final EthAddress to, final PeerBindings bindings, final FrameHeader header,
      final NamedTensors tensors) {
    final Optional<Multiaddr> address = bindings.address(to);
    if (address.isEmpty()) {
      return CompletableFuture.failedFuture(new IllegalStateException("no address bound to " + to));
    }
    final PeerId peer = address.get().peerId().orElseThrow();
    final byte[] payload = TensorCodec.encode(tensors).toArrayUnsafe();
    return sendOn(peer, address.get(), header, payload)
        // a stream the peer reset (it refused an earlier frame, or restarted) is replaced once
        .exceptionallyCompose(e -> sendOn(peer, address.get(), header, payload))
        .whenComplete((v, e) -> {
          if (e != null) {
            LOG.warn("sending {} to {} failed: {}", header, to, e.getMessage());
          }
        });
  }

  private CompletableFuture<Void> sendOn(final PeerId peer, final Multiaddr address, final FrameHeader header,
      final byte[] payload) {
    final CompletableFuture<BulkChannel> channel = outgoing.computeIfAbsent(peer, p -> open(p, address));
    return channel.thenCompose(c -> c.send(header.encode(), Unpooled.wrappedBuffer(payload)))
        .whenComplete((v, e) -> {
          if (e != null) {
            outgoing.remove(peer, channel);
          }
        });
  }

  private CompletableFuture<BulkChannel> open(final PeerId peer, final Multiaddr address) {
    final CompletableFuture<BulkChannel> opened = host.dial(address)
        .thenCompose(c -> c.newStream(TensorLinkProtocols.TENSOR))
        .thenApply(stream -> BulkChannel.attach(stream, new BulkLimits(FrameHeader.SIZE, 1, 0), new BulkMessageListener() {
          @Override
          public void onStart(final BulkChannel c, final byte[] metadata) {
            c.stream().reset(); // receivers never answer on a tensor stream
          }

          @Override
          public void onChunk(final BulkChannel c, final ByteBuf chunk) {}

          @Override
          public void onEnd(final BulkChannel c, final long totalBytes) {}
        }));
    // forget a stream as soon as it closes, so the next frame opens a new one
    opened.thenAccept(c -> c.stream().closeFuture().thenRun(() -> outgoing.remove(peer, opened)));
    return opened;
  }

  private void onStream(final Stream stream) {
    BulkChannel.attach(stream, new BulkLimits(FrameHeader.SIZE, BulkChannel.CHUNK_SIZE, MAX_MESSAGE),
        new Inbound(stream.remotePeer()));
  }

  /** One incoming stream: its messages one after another. */
  private final class Inbound implements BulkMessageListener {
    private final PeerId peer;
    private FrameHeader header;
    private Job job;
    private ByteBuf body;
    private long max;

    Inbound(final PeerId peer) {
      this.peer = peer;
    }

    @Override
    public void onStart(final BulkChannel channel, final byte[] metadata) {
      try {
        final FrameHeader h = FrameHeader.decode(metadata);
        final Job j = jobs.get(h.jobId());
        max = j == null ? MAX_EARLY_BYTES : j.inbox().accept(sender(j, peer), h);
        header = h;
        job = j;
        body = Unpooled.buffer((int) Math.min(max, 1 << 20));
      } catch (FrameRejectedException e) {
        refuse(channel, e.getMessage());
      }
    }

    @Override
    public void onChunk(final BulkChannel channel, final ByteBuf chunk) {
      if (header == null) {
        return;
      }
      if (body.readableBytes() + (long) chunk.readableBytes() > max) {
        if (job != null) {
          job.inbox().release(header);
        }
        refuse(channel, header + " is larger than its " + max + " bytes");
        return;
      }
      body.writeBytes(chunk);
    }

    @Override
    public void onEnd(final BulkChannel channel, final long totalBytes) {
      if (header == null) {
        return;
      }
      final FrameHeader h = header;
      final Job j = job;
      final ByteBuf b = body;
      clear();
      final byte[] bytes = new byte[b.readableBytes()];
      b.readBytes(bytes);
      b.release();
      if (j == null) {
        hold(new EarlyFrame(peer, h, bytes, System.nanoTime()));
      } else {
        decode(j, peer, h, bytes);
      }
    }

    @Override
    public void onFailure(final BulkChannel channel, final String reason) {
      if (header != null) {
        if (job != null) {
          job.inbox().release(header);
        }
        body.release();
        clear();
      }
    }

    /** Logs the reason and resets the stream: its sender must open a new one. */
    private void refuse(final BulkChannel channel, final String reason) {
      if (body != null) {
        body.release();
      }
      clear();
      reject("frame from " + peer + ": " + reason);
      channel.stream().reset();
    }

    private void clear() {
      header = null;
      job = null;
      body = null;
    }
  }

  private static EthAddress sender(final Job j, final PeerId peer) {
    return j.bindings().account(peer)
        .orElseThrow(() -> new FrameRejectedException("peer " + peer + " has no node binding"));
  }

  /** Decodes an accepted frame's payload off the event loop and hands it to the job's inbox. */
  private void decode(final Job j, final PeerId peer, final FrameHeader h, final byte[] bytes) {
    decoder.execute(() -> {
      try {
        j.inbox().deliver(h, TensorCodec.decode(Bytes.wrap(bytes), bytes.length));
      } catch (WireException | FrameRejectedException e) {
        j.inbox().release(h);
        reject(h + " from " + peer + ": " + e.getMessage());
      }
    });
  }

  private void hold(final EarlyFrame f) {
    synchronized (early) {
      final long now = System.nanoTime();
      early.values().forEach(frames -> frames.removeIf(e -> {
        final boolean expired = now - e.arrivedNanos() > EARLY_TTL.toNanos();
        if (expired) {
          earlyBytes -= e.payload().length;
          reject(e.header() + " from " + e.peer() + ": this node got no job " + e.header().jobId() + " within "
              + EARLY_TTL.toSeconds() + " s");
        }
        return expired;
      }));
      early.values().removeIf(List::isEmpty);
      if (earlyBytes + f.payload().length > MAX_EARLY_BYTES) {
        reject(f.header() + " from " + f.peer() + ": this node works on no job " + f.header().jobId()
            + " and already holds " + earlyBytes + " bytes of early frames");
        return;
      }
      earlyBytes += f.payload().length;
      early.computeIfAbsent(f.header().jobId(), k -> new ArrayList<>()).add(f);
    }
    // the job may have been registered while this frame was arriving
    final Job j = jobs.get(f.header().jobId());
    if (j != null) {
      admitEarly(f.header().jobId(), j);
    }
  }

  /** Checks and delivers the frames held for {@code jobId}, as if they arrived now. */
  private void admitEarly(final BigInteger jobId, final Job j) {
    final List<EarlyFrame> frames;
    synchronized (early) {
      frames = early.remove(jobId);
      if (frames == null) {
        return;
      }
      frames.forEach(f -> earlyBytes -= f.payload().length);
    }
    for (final EarlyFrame f : frames) {
      try {
        final long max = j.inbox().accept(sender(j, f.peer()), f.header());
        if (f.payload().length > max) {
          j.inbox().release(f.header());
          throw new FrameRejectedException(f.header() + " is larger than its " + max + " bytes");
        }
        decode(j, f.peer(), f.header(), f.payload());
      } catch (FrameRejectedException e) {
        reject("frame from " + f.peer() + ": " + e.getMessage());
      }
    }
  }

  private void reject(final String reason) {
    LOG.warn("refused a /tl/tensor frame: {}", reason);
    synchronized (rejections) {
      if (rejections.size() == KEPT_REJECTIONS) {
        rejections.removeFirst();
      }
      rejections.addLast(reason);
    }
  }

  @Override
  public void close() {
    host.removeStreamHandler(TensorLinkProtocols.TENSOR);
    outgoing.values().forEach(f -> f.thenAccept(BulkChannel::close));
    outgoing.clear();
    decoder.shutdown();
    try {
      decoder.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
