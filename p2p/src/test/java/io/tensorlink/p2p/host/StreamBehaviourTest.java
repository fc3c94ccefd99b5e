package io.tensorlink.p2p.host;

import static io.tensorlink.p2p.host.Conditions.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Yamux stream semantics over real TCP: flow control, half-close, reset, limits, failures. */
class StreamBehaviourTest {
  private static final String P = "/test/sink/1.0.0";

  @Test
  void slowConsumerStallsTheSenderAtTheWindow() throws Exception {
    final AtomicLong received = new AtomicLong();
    final AtomicReference<Stream> serverSide = new AtomicReference<>();
    try (HostPair pair = new HostPair(b -> b)) {
      pair.server.setStreamHandler(
          P,
          s -> {
            s.setAutoRead(false); // never hand the window back until told to
            s.setListener((st, data) -> received.addAndGet(data.readableBytes()));
            serverSide.set(s);
          });
      final Stream s = pair.open(P);
      final int window = pair.server.config().yamuxReceiveWindow();
      final List<CompletableFuture<Void>> writes = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        writes.add(s.writeAndFlush(Unpooled.wrappedBuffer(new byte[1 << 20])));
      }
      waitUntil(() -> received.get() >= window - 64);
      Thread.sleep(300);
      assertThat(received.get()).as("bytes past an exhausted window").isLessThanOrEqualTo(window);
      assertThat(s.isWritable()).as("40 MiB queued is above the high-water mark").isFalse();
      assertThat(writes.get(39)).isNotDone();

      serverSide.get().setAutoRead(true);
      serverSide.get().consumed((int) received.get());
      waitUntil(() -> received.get() == 40L << 20);
      CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
      waitUntil(s::isWritable);
    }
  }

  @Test
  void receiveWindowsBeyondTheSpecMinimumComeFromAPerConnectionBudget() throws Exception {
    final List<AtomicLong> received = new CopyOnWriteArrayList<>();
    try (HostPair pair = new HostPair(b -> b.connectionReceiveBudget(20L << 20))) {
      pair.server.setStreamHandler(
          P,
          s -> {
            final AtomicLong n = new AtomicLong();
            received.add(n);
            s.setAutoRead(false); // hold everything: each stream's window is all the peer may send
            s.setListener((st, data) -> n.addAndGet(data.readableBytes()));
          });
      final Stream first = pair.open(P);
      final Stream second = pair.open(P);
      for (final Stream s : List.of(first, second)) {
        for (int i = 0; i < 20; i++) {
          s.writeAndFlush(Unpooled.wrappedBuffer(new byte[1 << 20]));
        }
      }
      final long full = 16L << 20;
      final long rest = (20L << 20) - (full - HostConfig.YAMUX_INITIAL_WINDOW) + HostConfig.YAMUX_INITIAL_WINDOW;
      // The multistream bytes (a few dozen) count against each window too. Whichever stream's data
      // reaches the budget first gets the full window; the handlers may run in either order.
      waitUntil(() -> received.size() == 2 && larger(received) > full - 1024 && smaller(received) > rest - 1024);
      Thread.sleep(300);
      assertThat(larger(received)).as("one stream: the full 16 MiB window").isBetween(full - 1024, full);
      assertThat(smaller(received)).as("the other: what the 20 MiB budget had left").isBetween(rest - 1024, rest);
      first.reset();
      second.reset();
    }
  }

  @Test
  void dataArrivingBeforeTheListenerIsSetIsBufferedNotLost() throws Exception {
    final StreamCollector late = new StreamCollector(1 << 20);
    try (HostPair pair = new HostPair(b -> b)) {
      // The handler hands the stream to another thread, which attaches a listener much later.
      pair.server.setStreamHandler(
          P, s -> CompletableFuture.delayedExecutor(300, TimeUnit.MILLISECONDS).execute(() -> s.setListener(late)));
      final Stream s = pair.open(P);
      final byte[] data = new byte[100_000];
      new java.util.Random(5).nextBytes(data);
      s.writeAndFlush(Unpooled.wrappedBuffer(data));
      s.closeWrite();
      assertThat(late.result().get(10, TimeUnit.SECONDS)).isEqualTo(data);
    }
  }

  @Test
  void halfCloseLetsTheResponderAnswerAfterFin() throws Exception {
    try (HostPair pair = new HostPair(b -> b)) {
      pair.server.setStreamHandler(
          P,
          s ->
              s.setListener(
                  new StreamListener() {
                    long n;

                    @Override
                    public void onData(final Stream st, final ByteBuf data) {
                      n += data.readableBytes();
                    }

                    @Override
                    public void onRemoteClosed(final Stream st) {
                      st.writeAndFlush(Unpooled.copyLong(n));
                      st.closeWrite();
                    }
                  }));
      final Stream s = pair.open(P);
      final StreamCollector answer = new StreamCollector(8);
      s.setListener(answer);
      s.writeAndFlush(Unpooled.wrappedBuffer(new byte[12345]));
      s.closeWrite().get(10, TimeUnit.SECONDS);
      assertThat(Unpooled.wrappedBuffer(answer.result().get(10, TimeUnit.SECONDS)).readLong()).isEqualTo(12345);
      assertThat(s.closeFuture().get(10, TimeUnit.SECONDS)).isEqualTo(StreamCloseReason.NORMAL);
      assertThatThrownBy(() -> s.writeAndFlush(Unpooled.buffer(1)).get(10, TimeUnit.SECONDS))
          .hasCauseInstanceOf(io.tensorlink.p2p.yamux.StreamClosedException.class);
      waitUntil(() -> pair.connection.streamCount() == 0);
    }
  }

  @Test
  void resetReachesThePeerAndFailsPendingWrites() throws Exception {
    final CompletableFuture<StreamCloseReason> serverSaw = new CompletableFuture<>();
    try (HostPair pair = new HostPair(b -> b)) {
      pair.server.setStreamHandler(
          P,
          s ->
              s.setListener(
                  new StreamListener() {
                    @Override
                    public void onData(final Stream st, final ByteBuf data) {}

                    @Override
                    public void onClosed(final Stream st, final StreamCloseReason reason) {
                      serverSaw.complete(reason);
                    }
                  }));
      final Stream s = pair.open(P);
      s.writeAndFlush(Unpooled.wrappedBuffer(new byte[100]));
      s.reset();
      assertThat(serverSaw.get(10, TimeUnit.SECONDS)).isEqualTo(StreamCloseReason.RESET_REMOTE);
      assertThat(s.closeFuture().get(10, TimeUnit.SECONDS)).isEqualTo(StreamCloseReason.RESET_LOCAL);
      assertThat(s.isOpen()).isFalse();
      // The write fails at once for the reason that it is reset (not by running into the timeout).
      assertThatThrownBy(() -> s.writeAndFlush(Unpooled.buffer(1)).get(10, TimeUnit.SECONDS))
          .isInstanceOf(java.util.concurrent.ExecutionException.class)
          .hasCauseInstanceOf(io.tensorlink.p2p.yamux.StreamClosedException.class)
          .hasMessageContaining("closed for writing");
      // The connection itself is unaffected.
      assertThat(pair.client.ping(pair.server.peerId()).get(10, TimeUnit.SECONDS)).isPositive();
    }
  }

  @Test
  void inboundStreamLimitResetsTheExcess() throws Exception {
    try (HostPair pair = new HostPair(b -> b.maxStreamsPerConnection(2))) {
      pair.server.setStreamHandler(P, s -> s.setListener((st, d) -> {}));
      // identify (both directions) has finished on both ends
      waitUntil(() -> pair.connection.streamCount() == 0 && pair.server.connection(pair.client.peerId()).orElseThrow().streamCount() == 0);
      final Stream a = pair.open(P);
      final Stream b = pair.open(P);
      final CompletableFuture<Stream> c = pair.connection.newStream(P);
      assertThatThrownBy(() -> c.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(io.tensorlink.p2p.yamux.StreamClosedException.class);
      assertThat(a.isOpen() && b.isOpen()).isTrue();
      a.reset();
      waitUntil(() -> pair.server.connection(pair.client.peerId()).orElseThrow().streamCount() < 2);
      assertThat(pair.open(P).isOpen()).isTrue();
    }
  }

  @Test
  void streamOpeningRateIsLimitedPerConnection() throws Exception {
    try (HostPair pair = new HostPair(b -> b.maxInboundStreamsPerSecond(5))) {
      pair.server.setStreamHandler(P, s -> s.setListener((st, d) -> {}));
      Thread.sleep(1100); // identify used some tokens; let the bucket refill
      final List<CompletableFuture<Stream>> opens = new ArrayList<>();
      for (int i = 0; i < 12; i++) {
        opens.add(pair.connection.newStream(P));
      }
      int accepted = 0;
      for (final CompletableFuture<Stream> f : opens) {
        try {
          f.get(10, TimeUnit.SECONDS);
          accepted++;
        } catch (final java.util.concurrent.ExecutionException refused) {
          assertThat(refused).hasCauseInstanceOf(io.tensorlink.p2p.yamux.StreamClosedException.class);
        }
      }
      assertThat(accepted).as("a burst of 12 against 5/s").isBetween(5, 6);
      Thread.sleep(1100);
      assertThat(pair.open(P).isOpen()).as("the bucket refills").isTrue();
    }
  }

  @Test
  void failingHandlerResetsOnlyItsStream() throws Exception {
    try (HostPair pair = new HostPair(b -> b)) {
      pair.server.setStreamHandler(P, s -> s.setListener((st, d) -> { throw new IllegalStateException("boom"); }));
      final Stream s = pair.open(P);
      s.writeAndFlush(Unpooled.wrappedBuffer(new byte[10]));
      assertThat(s.closeFuture().get(10, TimeUnit.SECONDS)).isEqualTo(StreamCloseReason.RESET_REMOTE);
      assertThat(pair.client.ping(pair.server.peerId()).get(10, TimeUnit.SECONDS)).isPositive();
    }
  }

  @Test
  void closingTheConnectionEndsItsStreamsAndNotifiesListeners() throws Exception {
    final List<String> events = new CopyOnWriteArrayList<>();
    try (HostPair pair = new HostPair(b -> b)) {
      pair.server.setStreamHandler(P, s -> s.setListener((st, d) -> {}));
      pair.server.addConnectionListener(
          new ConnectionListener() {
            @Override
            public void onDisconnected(final Connection c) {
              events.add("server-disconnected " + c.remotePeer());
            }
          });
      final Stream s = pair.open(P);
      pair.connection.close().get(10, TimeUnit.SECONDS);
      assertThat(s.closeFuture().get(10, TimeUnit.SECONDS)).isEqualTo(StreamCloseReason.CONNECTION_CLOSED);
      waitUntil(() -> !events.isEmpty());
      assertThat(events).containsExactly("server-disconnected " + pair.client.peerId());
      assertThat(pair.client.connection(pair.server.peerId())).isEmpty();
      assertThatThrownBy(() -> pair.connection.newStream(P).get(10, TimeUnit.SECONDS))
          .isInstanceOf(java.util.concurrent.ExecutionException.class)
          .hasCauseInstanceOf(io.tensorlink.p2p.yamux.StreamClosedException.class)
          .hasMessageContaining("is closing");
    }
  }

  private static long larger(final List<AtomicLong> counts) {
    return Math.max(counts.get(0).get(), counts.get(1).get());
  }

  private static long smaller(final List<AtomicLong> counts) {
    return Math.min(counts.get(0).get(), counts.get(1).get());
  }
}
