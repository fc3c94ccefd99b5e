package io.tensorlink.p2p.protocol.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.tensorlink.p2p.host.Connection;
import io.tensorlink.p2p.host.Host;
import io.tensorlink.p2p.host.HostConfig;
import io.tensorlink.p2p.host.Stream;
import io.tensorlink.p2p.transport.Hosts;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Bulk messages over /tl/tensor/1.0.0 between two Java hosts on loopback. */
class BulkChannelTest {
  private Host server;
  private Host client;
  private Connection connection;
  private final List<String> serverEvents = new CopyOnWriteArrayList<>();
  private final CompletableFuture<Void> serverDone = new CompletableFuture<>();

  /** Hashes each message and records start/end, so the test can compare digests. */
  private final class Recorder implements BulkMessageListener {
    private MessageDigest digest;

    @Override
    public void onStart(final BulkChannel channel, final byte[] metadata) {
      serverEvents.add("start " + new String(metadata, StandardCharsets.UTF_8));
      try {
        digest = MessageDigest.getInstance("SHA-256");
      } catch (final Exception e) {
        throw new IllegalStateException(e);
      }
    }

    @Override
    public void onChunk(final BulkChannel channel, final ByteBuf chunk) {
      digest.update(chunk.nioBuffer());
    }

    @Override
    public void onEnd(final BulkChannel channel, final long totalBytes) {
      serverEvents.add("end " + totalBytes + " " + java.util.HexFormat.of().formatHex(digest.digest()));
    }

    @Override
    public void onFailure(final BulkChannel channel, final String reason) {
      serverEvents.add("failure " + reason);
      serverDone.complete(null);
    }

    @Override
    public void onRemoteClosed(final BulkChannel channel) {
      serverEvents.add("closed");
      serverDone.complete(null);
    }
  }

  private void start(final BulkLimits serverLimits) {
    server = Hosts.create(HostConfig.loopback());
    client = Hosts.create(HostConfig.loopback());
    server.setStreamHandler(TensorLinkProtocols.TENSOR, s -> BulkChannel.attach(s, serverLimits, new Recorder()));
    server.start().join();
    connection = client.dial(server.listenAddresses().get(0).withPeerId(server.peerId())).orTimeout(10, TimeUnit.SECONDS).join();
  }

  @BeforeEach
  void init() {
    serverEvents.clear();
  }

  @AfterEach
  void stop() {
    client.close();
    server.close();
  }

  private static final BulkMessageListener IGNORE =
      new BulkMessageListener() {
        @Override
        public void onStart(final BulkChannel c, final byte[] m) {}

        @Override
        public void onChunk(final BulkChannel c, final ByteBuf b) {}

        @Override
        public void onEnd(final BulkChannel c, final long n) {}
      };

  @Test
  void shouldDeliverLargeMessagesIntactAndInOrder() throws Exception {
    start(BulkLimits.DEFAULT);
    final Stream stream = connection.newStream(TensorLinkProtocols.TENSOR).get(10, TimeUnit.SECONDS);
    final BulkChannel channel = BulkChannel.attach(stream, BulkLimits.DEFAULT, IGNORE);
    final byte[] big = new byte[(64 << 20) + 12345];
    new Random(3).nextBytes(big);
    final CompletableFuture<Void> first = channel.send("activations step=7".getBytes(StandardCharsets.UTF_8), Unpooled.wrappedBuffer(big));
    final CompletableFuture<Void> second = channel.send("empty".getBytes(StandardCharsets.UTF_8), Unpooled.EMPTY_BUFFER);
    channel.close().get(60, TimeUnit.SECONDS);
    first.get();
    second.get();
    serverDone.get(60, TimeUnit.SECONDS);
    final String bigDigest = java.util.HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(big));
    final String emptyDigest = java.util.HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest());
    assertThat(serverEvents)
        .containsExactly(
            "start activations step=7", "end " + big.length + " " + bigDigest, "start empty", "end 0 " + emptyDigest, "closed");
  }

  @Test
  void theSenderCanAbortAMessageInFlightAndGoOnWithTheNext() throws Exception {
    start(BulkLimits.DEFAULT);
    final Stream stream = connection.newStream(TensorLinkProtocols.TENSOR).get(10, TimeUnit.SECONDS);
    final BulkChannel channel = BulkChannel.attach(stream, BulkLimits.DEFAULT, IGNORE);
    // 64 MiB cannot leave at once (the stream stops being writable), so it is still in flight.
    final CompletableFuture<Void> big = channel.send("big".getBytes(StandardCharsets.UTF_8), Unpooled.wrappedBuffer(new byte[64 << 20]));
    final CompletableFuture<Void> next = channel.send("next".getBytes(StandardCharsets.UTF_8), Unpooled.wrappedBuffer(new byte[10]));

    assertThat(channel.abort("job cancelled").get(10, TimeUnit.SECONDS)).isTrue();

    assertThat(big.handle((v, e) -> e).get(10, TimeUnit.SECONDS))
        .isInstanceOf(java.util.concurrent.CancellationException.class)
        .hasMessage("bulk message aborted: job cancelled");
    next.get(30, TimeUnit.SECONDS);
    serverDone.get(10, TimeUnit.SECONDS);
    final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (serverEvents.size() < 4 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(serverEvents).hasSize(4);
    assertThat(serverEvents.get(0)).isEqualTo("start big");
    assertThat(serverEvents.get(1)).isEqualTo("failure peer aborted: job cancelled");
    assertThat(serverEvents.get(2)).isEqualTo("start next");
    assertThat(serverEvents.get(3)).startsWith("end 10 ");
    assertThat(channel.abort("nothing left").get(10, TimeUnit.SECONDS)).isFalse();
  }

  @Test
  void shouldRejectChunksOverTheReceiversLimit() throws Exception {
    start(new BulkLimits(1024, 64 * 1024, 1 << 30));
    final Stream stream = connection.newStream(TensorLinkProtocols.TENSOR).get(10, TimeUnit.SECONDS);
    final BulkChannel channel = BulkChannel.attach(stream, BulkLimits.DEFAULT, IGNORE);
    channel.send(new byte[0], Unpooled.wrappedBuffer(new byte[1 << 20]));
    serverDone.get(10, TimeUnit.SECONDS);
    assertThat(serverEvents).last().asString().contains("failure").contains("limit 65536");
    assertThat(stream.closeFuture().get(10, TimeUnit.SECONDS)).isEqualTo(io.tensorlink.p2p.host.StreamCloseReason.RESET_REMOTE);
  }

  @Test
  void shouldDetectCorruptedFrames() throws Exception {
    start(BulkLimits.DEFAULT);
    final Stream raw = connection.newStream(TensorLinkProtocols.TENSOR).get(10, TimeUnit.SECONDS);
    final ByteBuf frame = Unpooled.buffer();
    BulkFrame.writeHeader(frame, BulkFrame.TYPE_START, 3);
    frame.writeBytes(new byte[] {'a', 'b', 'c'});
    frame.writeInt(0xdeadbeef); // wrong CRC32C
    raw.writeAndFlush(frame);
    serverDone.get(10, TimeUnit.SECONDS);
    assertThat(serverEvents).containsExactly("failure malformed bulk input: bulk frame of type 1 failed its CRC32C check");
  }

  @Test
  void shouldReportTruncatedMessages() throws Exception {
    start(BulkLimits.DEFAULT);
    final Stream raw = connection.newStream(TensorLinkProtocols.TENSOR).get(10, TimeUnit.SECONDS);
    final ByteBuf header = Unpooled.buffer();
    BulkFrame.writeHeader(header, BulkFrame.TYPE_START, 0);
    raw.writeAndFlush(Unpooled.wrappedBuffer(header, Unpooled.copyInt(BulkFrame.checksum(header, Unpooled.EMPTY_BUFFER))));
    raw.closeWrite();
    serverDone.get(10, TimeUnit.SECONDS);
    assertThat(serverEvents).containsExactly("start ", "failure peer closed the stream in the middle of a message");
  }

  @Test
  void shouldRefuseOversizedMetadataBeforeSending() throws Exception {
    start(BulkLimits.DEFAULT);
    final Stream stream = connection.newStream(TensorLinkProtocols.TENSOR).get(10, TimeUnit.SECONDS);
    final BulkChannel channel = BulkChannel.attach(stream, new BulkLimits(16, 1024, 1024), IGNORE);
    assertThatThrownBy(() -> channel.send(new byte[17], Unpooled.EMPTY_BUFFER).join()).hasMessageContaining("exceeds 16");
  }
}
