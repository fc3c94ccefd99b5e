package io.tensorlink.p2p.interop;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.tensorlink.p2p.host.Conditions;
import io.tensorlink.p2p.host.Host;
import io.tensorlink.p2p.host.HostConfig;
import io.tensorlink.p2p.host.Stream;
import io.tensorlink.p2p.transport.Hosts;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Java↔Java {@code /tl/bulk/1.0.0} over loopback: the receiver hashes off the event loop and only
 * returns receive window once bytes are hashed, so a payload several windows long proves that the
 * credit flows back, a receiver with the smallest window proves no batch waits for more bytes than
 * the window lets in, and a reset mid-transfer must leave the connection serving the next one.
 */
class BulkHashProtocolTest {
  /** Four times the default 16 MiB receive window, not a multiple of the 1 MiB hashing batch. */
  private static final int PAYLOAD = 64 * 1024 * 1024 + 12_345;

  private final CopyOnWriteArrayList<BulkHashProtocol.Received> received = new CopyOnWriteArrayList<>();
  private final CopyOnWriteArrayList<String> reportingThreads = new CopyOnWriteArrayList<>();
  private Host receiver;
  private Host sender;

  @BeforeEach
  void connect() {
    receiver = Hosts.create(HostConfig.loopback());
    sender = Hosts.create(HostConfig.loopback());
    receiver.start().join();
    sender.start().join();
    BulkHashProtocol.serve(receiver, r -> {
      reportingThreads.add(Thread.currentThread().getName());
      received.add(r);
    });
    sender.dial(receiver.listenAddresses().get(0).withPeerId(receiver.peerId())).orTimeout(10, TimeUnit.SECONDS).join();
  }

  @AfterEach
  void close() {
    sender.close();
    receiver.close();
  }

  @Test
  void hashesAPayloadOfSeveralReceiveWindows() throws InterruptedException {
    final byte[] payload = new byte[PAYLOAD];
    new Random(7).nextBytes(payload);
    final byte[] expected = BulkHashProtocol.sha256().digest(payload);

    final byte[] reply = BulkHashProtocol.send(sender, receiver.peerId(), Unpooled.wrappedBuffer(payload))
        .orTimeout(120, TimeUnit.SECONDS).join();

    assertThat(reply).isEqualTo(expected);
    Conditions.waitUntil(() -> !received.isEmpty());
    assertThat(received).singleElement().satisfies(r -> {
      assertThat(r.bytes()).isEqualTo(PAYLOAD);
      assertThat(r.sha256()).isEqualTo(expected);
      assertThat(r.from()).isEqualTo(sender.peerId());
    });
    // The report runs on the event loop, as serve() promises, not on the hashing thread.
    assertThat(reportingThreads).singleElement().asString().doesNotStartWith("bulk-hash-");
  }

  @Test
  void aReceiverWithTheSmallestWindowStillGetsEverything() throws InterruptedException {
    // The window only reopens once bytes are hashed: a hand-over batch larger than the window stalls.
    try (Host small = Hosts.create(HostConfig.loopback().toBuilder().yamuxReceiveWindow(HostConfig.YAMUX_INITIAL_WINDOW).build())) {
      small.start().join();
      BulkHashProtocol.serve(small, received::add);
      sender.dial(small.listenAddresses().get(0).withPeerId(small.peerId())).orTimeout(10, TimeUnit.SECONDS).join();
      final byte[] payload = new byte[4 * 1024 * 1024 + 3];
      new Random(9).nextBytes(payload);

      final byte[] reply = BulkHashProtocol.send(sender, small.peerId(), Unpooled.wrappedBuffer(payload))
          .orTimeout(60, TimeUnit.SECONDS).join();

      assertThat(reply).isEqualTo(BulkHashProtocol.sha256().digest(payload));
      Conditions.waitUntil(() -> !received.isEmpty());
      assertThat(received).singleElement().satisfies(r -> assertThat(r.bytes()).isEqualTo(payload.length));
    }
  }

  @Test
  void aStreamResetMidTransferReportsNothingAndTheNextTransferSucceeds() throws InterruptedException {
    final Stream stream = sender.newStream(receiver.peerId(), BulkHashProtocol.ID).orTimeout(10, TimeUnit.SECONDS).join();
    stream.writeAndFlush(Unpooled.wrappedBuffer(new byte[3 * 1024 * 1024])).orTimeout(30, TimeUnit.SECONDS).join();
    stream.reset();
    stream.closeFuture().orTimeout(10, TimeUnit.SECONDS).join();

    final byte[] payload = new byte[2 * 1024 * 1024 + 1];
    new Random(8).nextBytes(payload);
    final byte[] reply = BulkHashProtocol.send(sender, receiver.peerId(), Unpooled.wrappedBuffer(payload))
        .orTimeout(60, TimeUnit.SECONDS).join();

    assertThat(reply).isEqualTo(BulkHashProtocol.sha256().digest(payload));
    Conditions.waitUntil(() -> !received.isEmpty());
    assertThat(received).singleElement().satisfies(r -> assertThat(r.bytes()).isEqualTo(payload.length));
  }
}
