package io.tensorlink.chain.validator.p2p;

import static org.assertj.core.api.Assertions.assertThat;

import io.tensorlink.chain.pol.Attestation;
import io.tensorlink.chain.pol.wire.RecordMessages;
import io.tensorlink.chain.validator.PolMessage;
import io.tensorlink.chain.validator.PolTransport;
import io.tensorlink.p2p.host.Host;
import io.tensorlink.p2p.transport.Hosts;
import io.tensorlink.p2p.host.HostConfig;
import io.tensorlink.p2p.pubsub.Gossipsub;
import io.tensorlink.p2p.pubsub.GossipsubConfig;
import io.tensorlink.p2p.pubsub.ReceivedMessage;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The transport on three real hosts in a line (A - B - C, loopback TCP + Noise + yamux): B runs
 * {@link GossipPolTransport}; what A publishes on {@code /tl/pol/1} reaches C only through B.
 */
class GossipPolTransportTest {
  private static final GossipsubConfig CONFIG = GossipsubConfig.builder().heartbeatInterval(Duration.ofMillis(100)).build();

  private final List<Host> hosts = new ArrayList<>();
  private final List<Gossipsub> routers = new ArrayList<>();

  @AfterEach
  void stop() {
    routers.forEach(Gossipsub::close);
    hosts.forEach(Host::close);
  }

  @Test
  void decodableMessagesAreDeliveredAndForwardedGarbageIsNeither() throws Exception {
    start(3);
    dial(0, 1);
    dial(1, 2);
    final ConcurrentLinkedQueue<byte[]> atB = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<ReceivedMessage> atC = new ConcurrentLinkedQueue<>();
    try (GossipPolTransport b = new GossipPolTransport(hosts.get(1), routers.get(1))) {
      b.subscribePol(atB::add);
      routers.get(0).subscribe(PolTransport.POL_TOPIC, m -> { }).join();
      routers.get(2).subscribe(PolTransport.POL_TOPIC, atC::add).join();
      await(() -> !routers.get(0).meshPeers(PolTransport.POL_TOPIC).join().isEmpty()
          && routers.get(2).meshPeers(PolTransport.POL_TOPIC).join().size() == 1, "meshes");

      routers.get(0).publish(PolTransport.POL_TOPIC, new byte[] {1, 2, 3}).join();
      final Attestation att = Attestation.sign(org.apache.tuweni.bytes.Bytes32.ZERO, List.of(),
          io.tensorlink.chain.pol.TestKeys.DOMAIN, io.tensorlink.chain.pol.TestKeys.ANVIL.get(1));
      final byte[] vote = new PolMessage.Vote(BigInteger.ONE, 0, att).encode();
      routers.get(0).publish(PolTransport.POL_TOPIC, vote).join();

      await(() -> atB.size() == 1 && atC.size() == 1, "the vote at B and, forwarded, at C");
      Thread.sleep(300);
      assertThat(atB).singleElement().isEqualTo(vote);
      assertThat(atC).singleElement().satisfies(m -> assertThat(m.data().toByteArray()).isEqualTo(vote));

      b.publishPol(vote.clone());
      await(() -> atC.size() == 2, "B's own publish at C");
      assertThat(atC).extracting(ReceivedMessage::author).containsExactly(hosts.get(0).peerId(), hosts.get(1).peerId());
    }
  }

  @Test
  void aValidatorThatMissedRecordsGetsThemFromThePeersThatHoldThemAndNothingFromThoseThatDoNot() throws Exception {
    start(3);
    dial(0, 1);
    dial(0, 2);
    final BigInteger job = BigInteger.valueOf(7);
    final List<byte[]> held = List.of(new byte[] {1}, new byte[] {2, 2}, new byte[RecordMessages.MAX_RECORD_BYTES + 1]);
    final List<String> asked = new java.util.concurrent.CopyOnWriteArrayList<>();
    try (GossipPolTransport a = new GossipPolTransport(hosts.get(0), routers.get(0));
        RecordServer holder = RecordServer.serve(hosts.get(1), (jobId, from, to) -> {
          asked.add(jobId + ":" + from + ".." + to);
          return held;
        })) {
      // B serves, C (a bare host) does not speak the protocol: A asks both.

      final List<byte[]> got = a.fetchRecords(job, 10, 15).get(30, TimeUnit.SECONDS);
      assertThat(got).as("the oversized record is left out").containsExactly(held.get(0), held.get(1));
      assertThat(asked).containsExactly("7:10..15");

      holder.close();
      assertThat(a.fetchRecords(job, 10, 15).get(30, TimeUnit.SECONDS)).as("B stopped serving at close").isEmpty();
    }
  }

  private void start(final int count) {
    for (int i = 0; i < count; i++) {
      final Host h = Hosts.create(HostConfig.loopback());
      h.start().orTimeout(10, TimeUnit.SECONDS).join();
      hosts.add(h);
      routers.add(new Gossipsub(h, CONFIG).start());
    }
  }

  private void dial(final int from, final int to) {
    final Host target = hosts.get(to);
    hosts.get(from).dial(target.listenAddresses().get(0).withPeerId(target.peerId())).orTimeout(10, TimeUnit.SECONDS).join();
  }

  private static void await(final BooleanSupplier condition, final String what) throws InterruptedException {
    final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(20);
    }
  }
}
