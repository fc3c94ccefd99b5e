package io.tensorlink.p2p.interop;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.buffer.Unpooled;
import io.tensorlink.p2p.host.Host;
import io.tensorlink.p2p.host.HostConfig;
import io.tensorlink.p2p.host.IdentifyInfo;
import io.tensorlink.p2p.peer.PeerId;
import io.tensorlink.p2p.pubsub.Gossipsub;
import io.tensorlink.p2p.pubsub.GossipsubConfig;
import io.tensorlink.p2p.pubsub.PublishResult;
import io.tensorlink.p2p.pubsub.ReceivedMessage;
import io.tensorlink.p2p.pubsub.ScoreEvent;
import io.tensorlink.p2p.pubsub.ValidationResult;
import io.tensorlink.p2p.pubsub.score.ScoreBreakdown;
import io.tensorlink.p2p.transport.Hosts;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The Java stack against a real js-libp2p 3 node on loopback, with each side dialing in turn:
 * ping, identify, gossipsub both ways (StrictSign, js message ids), Java relaying between two js
 * nodes, and a 64 MiB bulk stream whose SHA-256 both sides check. Skips when {@code p2p/interop/setup.sh} has not been run.
 */
class JsInteropTest {
  private static final String TOPIC = "interop";
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final HexFormat HEX = HexFormat.of();

  enum Dialer { JAVA, JS }

  private Host host;
  private Gossipsub gossip;
  private JsPeer js;
  private final ConcurrentLinkedQueue<ReceivedMessage> javaInbox = new ConcurrentLinkedQueue<>();
  private final CopyOnWriteArrayList<BulkHashProtocol.Received> javaBulk = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() {
    final Optional<String> missing = JsPeer.unavailable();
    if (missing.isPresent()) {
      System.out.println("SKIPPED JsInteropTest: " + missing.get());
    }
    Assumptions.assumeTrue(missing.isEmpty(), missing.orElse(""));
    host = Hosts.create(HostConfig.loopback());
    host.start().orTimeout(10, TimeUnit.SECONDS).join();
    gossip = new Gossipsub(host, GossipsubConfig.defaults()).start();
    gossip.subscribe(TOPIC, javaInbox::add).join();
    BulkHashProtocol.serve(host, javaBulk::add);
    js = JsPeer.start("--topic=" + TOPIC);
  }

  @AfterEach
  void stop() {
    if (js != null) {
      js.close();
    }
    if (gossip != null) {
      gossip.close();
    }
    if (host != null) {
      host.close();
    }
  }

  private void connect(final Dialer dialer) {
    if (dialer == Dialer.JAVA) {
      host.dial(js.address()).orTimeout(10, TimeUnit.SECONDS).join();
    } else {
      js.send(Map.of("cmd", "dial", "addr", javaAddress()));
      js.await("dialed", e -> e.get("peerId").asText().equals(host.peerId().toBase58()), WAIT);
    }
  }

  private String javaAddress() {
    return host.listenAddresses().get(0).withPeerId(host.peerId()).toString();
  }

  @ParameterizedTest
  @EnumSource(Dialer.class)
  void pingAndIdentifyWork(final Dialer dialer) {
    connect(dialer);

    final Duration rtt = host.ping(js.peerId()).orTimeout(10, TimeUnit.SECONDS).join();
    assertThat(rtt).isPositive().isLessThan(Duration.ofSeconds(5));
    js.send(Map.of("cmd", "ping", "addr", javaAddress()));
    assertThat(js.await("pong", e -> true, WAIT).get("rttMs").asDouble()).isBetween(0.0, 5000.0);

    final IdentifyInfo theirs = poll(() -> host.identifyInfo(js.peerId()), "identify of the js peer");
    assertThat(theirs.agentVersion()).isEqualTo("tensorlink-interop-js/0.1.0");
    assertThat(theirs.protocols()).contains("/ipfs/ping/1.0.0", "/meshsub/1.1.0", BulkHashProtocol.ID);
    assertThat(theirs.publicKey()).hasValueSatisfying(k -> assertThat(js.peerId().matches(k)).isTrue());
    // js's signed peer record (identify field 8) opened and verified on our side ...
    assertThat(theirs.signedPeerRecord()).hasValueSatisfying(r -> {
      assertThat(r.peerId()).isEqualTo(js.peerId());
      assertThat(r.record().addresses()).contains(js.address().withoutPeerId());
    });

    final JsonNode ours = js.await("identified", e -> e.get("peerId").asText().equals(host.peerId().toBase58()), WAIT);
    assertThat(ours.get("agentVersion").asText()).isEqualTo(host.config().agentVersion());
    assertThat(ours.get("protocols").toString()).contains("/meshsub/1.1.0", "/ipfs/id/1.0.0", BulkHashProtocol.ID);
    // ... and ours on js's (it reports the record only after opening and certifying the envelope).
    assertThat(ours.path("signedPeerRecord").path("addrs").toString()).contains(host.listenAddresses().get(0).toString());
  }

  @ParameterizedTest
  @EnumSource(Dialer.class)
  void gossipFlowsBothWays(final Dialer dialer) {
    connect(dialer);
    js.await("subscription", e -> e.get("peerId").asText().equals(host.peerId().toBase58())
        && e.get("topic").asText().equals(TOPIC), WAIT);
    poll(() -> gossip.topicPeers(TOPIC).join().contains(js.peerId()) ? Optional.of(true) : Optional.empty(),
        "the js peer's subscription");

    final PublishResult sent = gossip.publish(TOPIC, "from java".getBytes(StandardCharsets.UTF_8)).join();
    assertThat(sent.recipients()).isEqualTo(1);
    final JsonNode got = js.await("message", e -> e.get("topic").asText().equals(TOPIC), WAIT);
    assertThat(got.get("from").asText()).isEqualTo(host.peerId().toBase58());
    assertThat(new String(HEX.parseHex(got.get("data").asText()), StandardCharsets.UTF_8)).isEqualTo("from java");
    // js derived the same message id (StrictSign default: public key protobuf || seqno).
    assertThat(got.get("msgId").asText()).isEqualTo(HEX.formatHex(sent.messageId().toByteArray()));

    js.send(Map.of("cmd", "publish", "topic", TOPIC, "text", "from js"));
    js.await("published", e -> e.get("recipients").toString().contains(host.peerId().toBase58()), WAIT);
    final ReceivedMessage received = poll(() -> Optional.ofNullable(javaInbox.peek()), "the js message");
    assertThat(received.data().toStringUtf8()).isEqualTo("from js");
    assertThat(received.author()).isEqualTo(js.peerId());
    assertThat(received.receivedFrom()).isEqualTo(js.peerId());
    assertThat(received.messageId().toByteArray())
        .startsWith(js.peerId().publicKey().orElseThrow().marshal());
  }

  @ParameterizedTest
  @EnumSource(Dialer.class)
  void bulkStreamOf64MiBArrivesIntactBothWays(final Dialer dialer) throws Exception {
    connect(dialer);
    final int size = 64 * 1024 * 1024;
    final byte[] payload = new byte[size];
    new Random(dialer.ordinal()).nextBytes(payload);
    final byte[] expected = BulkHashProtocol.sha256().digest(payload);

    final byte[] reply = BulkHashProtocol.send(host, js.peerId(), Unpooled.wrappedBuffer(payload))
        .get(60, TimeUnit.SECONDS);
    assertThat(reply).isEqualTo(expected);
    final JsonNode jsSaw = js.await("bulk-received", e -> true, WAIT);
    assertThat(jsSaw.get("bytes").asLong()).isEqualTo(size);
    assertThat(jsSaw.get("sha256").asText()).isEqualTo(HEX.formatHex(expected));

    js.send(Map.of("cmd", "bulk", "addr", javaAddress(), "bytes", size));
    final JsonNode jsSent = js.await("bulk-sent", e -> true, Duration.ofSeconds(60));
    assertThat(jsSent.get("ok").asBoolean()).as("js got our digest back and it matched").isTrue();
    final BulkHashProtocol.Received javaSaw = poll(() -> javaBulk.stream().findFirst(), "the js bulk stream");
    assertThat(javaSaw.bytes()).isEqualTo(size);
    assertThat(HEX.formatHex(javaSaw.sha256())).isEqualTo(jsSent.get("sha256").asText());
  }

  @Test
  void javaRelaysSignedJsMessagesBetweenTwoJsPeersThroughItsMesh() {
    try (JsPeer other = JsPeer.start("--topic=" + TOPIC)) {
      connect(Dialer.JAVA);
      host.dial(other.address()).orTimeout(10, TimeUnit.SECONDS).join();
      // Both js nodes must graft us, and we them: the mesh is the only path between them.
      poll(() -> gossip.meshPeers(TOPIC).join().containsAll(List.of(js.peerId(), other.peerId()))
          ? Optional.of(true) : Optional.empty(), "a mesh with both js peers");
      js.await("graft", e -> e.get("peerId").asText().equals(host.peerId().toBase58()), WAIT);
      other.await("graft", e -> e.get("peerId").asText().equals(host.peerId().toBase58()), WAIT);

      js.send(Map.of("cmd", "publish", "topic", TOPIC, "text", "relay me"));
      final JsonNode relayed = other.await("message", e -> e.get("topic").asText().equals(TOPIC), WAIT);

      // Forwarded byte for byte: the second js node verified the first one's signature.
      assertThat(relayed.get("from").asText()).isEqualTo(js.peerId().toBase58());
      assertThat(relayed.get("via").asText()).isEqualTo(host.peerId().toBase58());
      assertThat(new String(HEX.parseHex(relayed.get("data").asText()), StandardCharsets.UTF_8)).isEqualTo("relay me");
      final ReceivedMessage ours = poll(() -> Optional.ofNullable(javaInbox.peek()), "our copy");
      assertThat(HEX.formatHex(ours.messageId().toByteArray())).isEqualTo(relayed.get("msgId").asText());
    }
  }

  /**
   * Peer scoring against js: one js peer publishes messages our validator rejects and is
   * graylisted (its later valid message is ignored); another js peer publishing valid messages
   * keeps a non-negative score and is never reported. The topic is a scored TensorLink topic.
   */
  @ParameterizedTest
  @EnumSource(Dialer.class)
  void aJsPeerPublishingInvalidMessagesIsGraylistedAWellBehavedOneIsNot(final Dialer dialer) {
    final String scored = "/tl/jobs/1";
    final CopyOnWriteArrayList<ScoreEvent> events = new CopyOnWriteArrayList<>();
    gossip.onScoreEvent(events::add).join();
    gossip.setTopicValidator(scored, m -> m.data().toStringUtf8().startsWith("invalid")
        ? ValidationResult.REJECT : ValidationResult.ACCEPT).join();
    gossip.subscribe(scored, javaInbox::add).join();
    try (JsPeer good = JsPeer.start("--topic=" + scored)) {
      js.send(Map.of("cmd", "subscribe", "topic", scored));
      connect(dialer);
      if (dialer == Dialer.JAVA) {
        host.dial(good.address()).orTimeout(10, TimeUnit.SECONDS).join();
      } else {
        good.send(Map.of("cmd", "dial", "addr", javaAddress()));
      }
      for (final JsPeer p : List.of(js, good)) {
        p.await("subscription", e -> e.get("peerId").asText().equals(host.peerId().toBase58())
            && e.get("topic").asText().equals(scored), WAIT);
      }

      for (int i = 0; i < 3; i++) {
        js.send(Map.of("cmd", "publish", "topic", scored, "text", "invalid " + i));
        good.send(Map.of("cmd", "publish", "topic", scored, "text", "valid " + i));
      }
      final ScoreEvent graylisted = poll(() -> events.stream().filter(e -> e.kind() == ScoreEvent.Kind.GRAYLISTED).findFirst(),
          "the invalid js peer's graylisting");
      assertThat(graylisted.peer()).isEqualTo(js.peerId());
      assertThat(graylisted.score()).isLessThan(-80);

      // Graylisted: its valid message is ignored. The good peer's later message is our barrier.
      js.send(Map.of("cmd", "publish", "topic", scored, "text", "valid from the graylisted peer"));
      js.await("published", e -> true, WAIT);
      good.send(Map.of("cmd", "publish", "topic", scored, "text", "barrier"));
      poll(() -> javaInbox.stream().filter(m -> m.data().toStringUtf8().equals("barrier")).findFirst(), "the barrier");
      assertThat(javaInbox).extracting(m -> m.data().toStringUtf8())
          .contains("valid 0", "valid 1", "valid 2")
          .doesNotContain("valid from the graylisted peer", "invalid 0");

      final Map<PeerId, ScoreBreakdown> scores = gossip.scores().join();
      assertThat(scores.get(js.peerId()).p4()).isNegative();
      assertThat(scores.get(good.peerId()).total()).isNotNegative();
      assertThat(scores.get(good.peerId()).p2()).as("first deliveries rewarded").isPositive();
      assertThat(events).extracting(ScoreEvent::peer).doesNotContain(good.peerId());
    }
  }

  private static <T> T poll(final Supplier<Optional<T>> probe, final String what) {
    final long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      final Optional<T> value = probe.get();
      if (value.isPresent()) {
        return value.get();
      }
      try {
        Thread.sleep(20);
      } catch (final InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
    throw new AssertionError("timed out waiting for " + what);
  }
}
