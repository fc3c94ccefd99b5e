package io.tensorlink.p2p.pubsub.sim;

import com.google.protobuf.ByteString;
import io.tensorlink.p2p.peer.PeerId;
import io.tensorlink.p2p.pubsub.GossipsubConfig;
import io.tensorlink.p2p.pubsub.score.ScoreBreakdown;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;

/**
 * The attack scenarios of docs/gossipsub.md §"Attack resilience", each on a fixed seed: honest
 * routers (TensorLink's default config and scores) on the step-record topic, each dialling a few
 * honest peers; unmeasured warm-up traffic; then the attackers connect (at once for a cold boot)
 * and measured messages from random honest publishers follow at a steady rate.
 *
 * @param honestNodes honest routers
 * @param honestDegree honest peers each honest router dials
 * @param sybilNodes attackers
 * @param behaviour what the attackers do (ignored when there are none)
 * @param warmup simulated time with unmeasured traffic before the measured messages
 * @param sybilsFromStart the attackers connect before the honest nodes subscribe (a cold boot), not
 *     when the warm-up ends
 * @param attack connects the attackers
 */
public record AttackScenario(
    String name,
    int honestNodes,
    int honestDegree,
    int sybilNodes,
    Behaviour behaviour,
    Duration warmup,
    boolean sybilsFromStart,
    Consumer<GossipSimulation> attack) {

  public static final String TOPIC = "/tl/steps/1/sim";
  private static final Duration RATE = Duration.ofMillis(200);
  private static final Duration DRAIN = Duration.ofSeconds(10);
  private static final Duration WARMUP = Duration.ofSeconds(20);
  private static final Duration WARMUP_RATE = Duration.ofSeconds(1);

  /** Attack-free: {@code honest} nodes, each dialling 4 others. */
  public static AttackScenario baseline(final int honest) {
    return new AttackScenario("baseline", honest, 4, 0, Behaviour.CENSOR, WARMUP, false, sim -> { });
  }

  /** 20 sybils, each connected to 10 honest nodes, publish 5 invalid messages per heartbeat to each. */
  public static AttackScenario invalidSpam() {
    return joining("invalid-message spam", 20, Behaviour.SPAM_INVALID, sim -> sim.connectRandomly(sim.sybils(), sim.honest(), 10));
  }

  /** 50 sybils, each connected to 20 honest nodes, graft everyone and drop everything. */
  public static AttackScenario censorship() {
    return joining("censorship (mesh sybils drop all)", 50, Behaviour.CENSOR,
        sim -> sim.connectRandomly(sim.sybils(), sim.honest(), 20));
  }

  /** 50 sybils all connect to one honest node (and 3 others each) and re-graft every heartbeat. */
  public static AttackScenario eclipse() {
    return joining("GRAFT flood to eclipse one node", 50, Behaviour.GRAFT_FLOOD, sim -> {
      final HonestNode target = sim.honest().getFirst();
      sim.sybils().forEach(s -> sim.connect(s, target));
      sim.connectRandomly(sim.sybils(), sim.honest(), 3);
    });
  }

  /** 30 sybils, each connected to 10 honest nodes, advertise bogus ids and re-request real ones. */
  public static AttackScenario gossipSpam() {
    return joining("IHAVE/IWANT spam", 30, Behaviour.GOSSIP_SPAM, sim -> sim.connectRandomly(sim.sybils(), sim.honest(), 10));
  }

  private static AttackScenario joining(
      final String name, final int sybils, final Behaviour behaviour, final Consumer<GossipSimulation> attack) {
    return new AttackScenario(name, 100, 4, sybils, behaviour, WARMUP, false, attack);
  }

  /**
   * Cold boot, sybils 4:1: 40 honest nodes dial 3 honest peers each; 160 censoring sybils, there
   * from the start, dial 6 honest nodes each, so an honest node sees about 24 sybils against 6
   * honest peers. Measured from the first second.
   */
  public static AttackScenario coldBoot() {
    return new AttackScenario("cold boot, sybils 4:1", 40, 3, 160, Behaviour.CENSOR, Duration.ofSeconds(1), true,
        sim -> sim.connectRandomly(sim.sybils(), sim.honest(), 6));
  }

  public static List<AttackScenario> attacks() {
    return List.of(invalidSpam(), censorship(), eclipse(), gossipSpam(), coldBoot());
  }

  /** Runs the scenario with {@code messages} measured messages. */
  public ScenarioResult run(final long seed, final int messages) {
    final GossipsubConfig config = GossipsubConfig.defaults();
    final GossipSimulation sim = new GossipSimulation(config, seed, Duration.ofMillis(10), Duration.ofMillis(60));
    for (int i = 0; i < honestNodes; i++) {
      sim.addHonest();
    }
    for (int i = 0; i < sybilNodes; i++) {
      sim.addSybil(behaviour, TOPIC);
    }
    sim.connectRandomly(sim.honest(), sim.honest(), honestDegree);
    if (sybilsFromStart) {
      attack.accept(sim);
    }
    sim.subscribeHonest(TOPIC);
    final Random random = new Random(seed ^ 0x5eed);
    final List<HonestNode> honest = sim.honest();
    // Warm-up traffic, unmeasured, slower (it is there so that scores form, and signatures cost CPU).
    publishSteadily(sim, honest, random, (int) (warmup.toNanos() / WARMUP_RATE.toNanos()) - 1, "warm-up");
    sim.run(warmup);
    if (!sybilsFromStart) {
      attack.accept(sim);
    }

    final long bytesBefore = sim.honestBytesSent();
    final Map<ByteString, Published> published = new LinkedHashMap<>();
    for (int i = 0; i < messages; i++) {
      final HonestNode publisher = honest.get(random.nextInt(honest.size()));
      final ByteString data = ByteString.copyFromUtf8("step " + i);
      sim.schedule(sim.now() + i * RATE.toNanos(), () -> published.put(publisher.publish(TOPIC, data),
          new Published(publisher, sim.now())));
    }
    sim.run(RATE.multipliedBy(messages).plus(DRAIN));
    final double bytesPerMessage = (double) (sim.honestBytesSent() - bytesBefore) / messages;

    final List<Long> latencies = new ArrayList<>();
    long expected = 0;
    for (final Map.Entry<ByteString, Published> e : published.entrySet()) {
      for (final HonestNode h : honest) {
        if (h == e.getValue().by()) {
          continue;
        }
        expected++;
        h.receivedAt(e.getKey()).ifPresent(at -> latencies.add(at - e.getValue().at()));
      }
    }
    Collections.sort(latencies);
    return new ScenarioResult(name, honestNodes, sybilNodes, messages, expected, latencies.size(),
        percentile(latencies, 0.50), percentile(latencies, 0.99), bytesPerMessage,
        sybilMeshSlots(sim), belowShare(sim, config.scoreThresholds().graylist()),
        belowShare(sim, config.scoreThresholds().gossip()));
  }

  private record Published(HonestNode by, long at) {}

  private static void publishSteadily(
      final GossipSimulation sim, final List<HonestNode> honest, final Random random, final int count, final String prefix) {
    for (int i = 0; i < count; i++) {
      final HonestNode publisher = honest.get(random.nextInt(honest.size()));
      final ByteString data = ByteString.copyFromUtf8(prefix + " " + i);
      sim.schedule(sim.now() + (i + 1) * WARMUP_RATE.toNanos(), () -> publisher.publish(TOPIC, data));
    }
  }

  private static double percentile(final List<Long> sorted, final double q) {
    if (sorted.isEmpty()) {
      return Double.NaN;
    }
    final int index = Math.min(sorted.size() - 1, (int) Math.ceil(q * sorted.size()) - 1);
    return sorted.get(Math.max(0, index)) / 1e6;
  }

  private static int sybilMeshSlots(final GossipSimulation sim) {
    int slots = 0;
    for (final HonestNode h : sim.honest()) {
      for (final Sybil s : sim.sybils()) {
        if (h.router().meshPeers(TOPIC).contains(s.id())) {
          slots++;
        }
      }
    }
    return slots;
  }

  /** Share of honest-to-sybil links on which the sybil's score ended below {@code threshold}. */
  private static double belowShare(final GossipSimulation sim, final double threshold) {
    int links = 0;
    int graylisted = 0;
    for (final HonestNode h : sim.honest()) {
      final Map<PeerId, ScoreBreakdown> scores = h.router().scores();
      for (final Sybil s : sim.sybils()) {
        final ScoreBreakdown b = scores.get(s.id());
        if (b != null) {
          links++;
          if (b.total() < threshold) {
            graylisted++;
          }
        }
      }
    }
    return links == 0 ? 0 : (double) graylisted / links;
  }
}
