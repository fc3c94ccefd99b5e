package io.tensorlink.p2p.pubsub.sim;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The attack scenarios of docs/gossipsub.md on ≥ 100 simulated nodes, fixed seeds: honest nodes
 * must receive every valid message, and the scoring must have dealt with the attackers.
 */
class AttackResilienceTest {
  private static final Logger LOG = LoggerFactory.getLogger(AttackResilienceTest.class);
  private static final long SEED = 2026;
  private static final int MESSAGES = 100;

  private static ScenarioResult run(final AttackScenario scenario) {
    final ScenarioResult r = scenario.run(SEED, MESSAGES);
    LOG.info("{}: delivered {}/{} p50 {} ms p99 {} ms, {} B/msg, sybil mesh slots {}, graylisted {}, below gossip {}",
        r.scenario(), r.delivered(), r.expected(), r.p50Millis(), r.p99Millis(), Math.round(r.bytesPerMessage()),
        r.sybilMeshSlots(), r.graylistedShare(), r.belowGossipShare());
    return r;
  }

  @Test
  void baselineDeliversEverything() {
    final ScenarioResult r = run(AttackScenario.baseline(100));
    assertThat(r.delivered()).isEqualTo(r.expected()).isEqualTo(100L * 99);
  }

  @Test
  void invalidMessageSpammersAreGraylistedAndDeliveryIsComplete() {
    final ScenarioResult r = run(AttackScenario.invalidSpam());
    assertThat(r.delivered()).isEqualTo(r.expected());
    assertThat(r.graylistedShare()).isEqualTo(1.0);
  }

  @Test
  void censoringMeshSybilsArePrunedAndDeliveryIsComplete() {
    final ScenarioResult r = run(AttackScenario.censorship());
    assertThat(r.delivered()).isEqualTo(r.expected());
    assertThat(r.sybilMeshSlots()).isZero();
  }

  @Test
  void aGraftFloodDoesNotEclipseItsTarget() {
    final ScenarioResult r = run(AttackScenario.eclipse());
    assertThat(r.delivered()).isEqualTo(r.expected());
    assertThat(r.graylistedShare()).isGreaterThan(0.9);
  }

  @Test
  void gossipSpammersFallBelowTheGossipThresholdAndDeliveryIsComplete() {
    final ScenarioResult r = run(AttackScenario.gossipSpam());
    assertThat(r.delivered()).isEqualTo(r.expected());
    // Broken promises keep them below the gossip threshold: their IHAVE/IWANT are ignored.
    assertThat(r.belowGossipShare()).isGreaterThan(0.9);
  }

  @Test
  void aColdBootAmongFourTimesAsManySybilsDeliversEverything() {
    final ScenarioResult r = run(AttackScenario.coldBoot());
    assertThat(r.delivered()).isEqualTo(r.expected());
  }
}
