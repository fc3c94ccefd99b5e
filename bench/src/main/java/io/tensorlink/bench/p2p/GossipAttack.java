package io.tensorlink.bench.p2p;

import io.tensorlink.p2p.pubsub.sim.AttackScenario;
import io.tensorlink.p2p.pubsub.sim.ScenarioResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code bench/p2p-attack.sh}: the attack scenarios of docs/gossipsub.md in the simulated network
 * (real routers and codec, simulated links of 10–60 ms, simulated time) next to the attack-free
 * baseline, then the gossip-scale table. Prints markdown tables on stdout.
 */
final class GossipAttack {
  private GossipAttack() {}

  static void run(final int messages, final long seed) {
    final ScenarioResult baseline = AttackScenario.baseline(100).run(seed, messages);
    final List<ScenarioResult> rows = new ArrayList<>(List.of(baseline));
    for (final AttackScenario s : AttackScenario.attacks()) {
      rows.add(s.run(seed, messages));
    }
    System.out.println("| scenario | honest | sybils | honest delivery | p50 ms | p99 ms | p99 / baseline | B/msg (honest) | sybil mesh slots at end | sybil links below gossip / graylist threshold |");
    System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for (final ScenarioResult r : rows) {
      System.out.println(String.format(Locale.ROOT, "| %s | %d | %d | %.2f %% (%d/%d) | %.0f | %.0f | %.2f | %.0f | %d | %.0f %% / %.0f %% |",
          r.scenario(), r.honest(), r.sybils(), 100 * r.deliveryRate(), r.delivered(), r.expected(),
          r.p50Millis(), r.p99Millis(), r.p99Millis() / baseline.p99Millis(), r.bytesPerMessage(),
          r.sybilMeshSlots(), 100 * r.belowGossipShare(), 100 * r.graylistedShare()));
    }
    System.out.println();
    System.out.println("| nodes | delivery | p50 ms | p99 ms | B/msg (all nodes) | B/msg per node |");
    System.out.println("|---:|---:|---:|---:|---:|---:|");
    for (final int nodes : new int[] {10, 50, 100}) {
      final ScenarioResult r = AttackScenario.baseline(nodes).run(seed, messages);
      System.out.println(String.format(Locale.ROOT, "| %d | %.2f %% | %.0f | %.0f | %.0f | %.0f |",
          nodes, 100 * r.deliveryRate(), r.p50Millis(), r.p99Millis(), r.bytesPerMessage(), r.bytesPerMessage() / nodes));
    }
  }
}
