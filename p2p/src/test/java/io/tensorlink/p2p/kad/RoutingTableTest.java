package io.tensorlink.p2p.kad;

import static org.assertj.core.api.Assertions.assertThat;

import io.tensorlink.p2p.crypto.KeyType;
import io.tensorlink.p2p.crypto.Keys;
import io.tensorlink.p2p.peer.PeerId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RoutingTableTest {
  private static PeerId peer() {
    return PeerId.fromPublicKey(Keys.generate(KeyType.ED25519).publicKey());
  }

  /** Peers whose key falls in bucket 0 of {@code self} (first bit differs), as many as asked. */
  private static List<PeerId> inBucketZero(final PeerId self, final int count) {
    final List<PeerId> out = new ArrayList<>();
    while (out.size() < count) {
      final PeerId p = peer();
      if (KadKey.of(self).commonPrefixLength(KadKey.of(p)) == 0) {
        out.add(p);
      }
    }
    return out;
  }

  @Test
  void aFullBucketKeepsLivePeersAndReplacesADeadOldest() {
    final PeerId self = peer();
    final RoutingTable table = new RoutingTable(self, 3);
    final List<PeerId> peers = inBucketZero(self, 5);
    for (int i = 0; i < 3; i++) {
      assertThat(table.add(peers.get(i), p -> true)).isTrue();
    }
    assertThat(table.add(peers.get(3), p -> true)).as("all live: newcomer refused").isFalse();
    assertThat(table.contains(peers.get(3))).isFalse();
    assertThat(table.add(peers.get(4), p -> !p.equals(peers.get(0)))).as("oldest dead: replaced").isTrue();
    assertThat(table.contains(peers.get(0))).isFalse();
    assertThat(table.contains(peers.get(4))).isTrue();
    assertThat(table.size()).isEqualTo(3);
  }

  @Test
  void seeingAPeerAgainMakesItTheNewestSoItIsNotTheOneAskedAbout() {
    final PeerId self = peer();
    final RoutingTable table = new RoutingTable(self, 2);
    final List<PeerId> peers = inBucketZero(self, 3);
    table.add(peers.get(0), p -> true);
    table.add(peers.get(1), p -> true);
    table.add(peers.get(0), p -> true); // refreshed: peers.get(1) is now the oldest
    assertThat(table.add(peers.get(2), p -> !p.equals(peers.get(1)))).isTrue();
    assertThat(table.contains(peers.get(0))).isTrue();
    assertThat(table.contains(peers.get(1))).isFalse();
  }

  @Test
  void closestIsOrderedByXorDistanceAndSelfIsNeverAdded() {
    final PeerId self = peer();
    final RoutingTable table = new RoutingTable(self, 20);
    assertThat(table.add(self, p -> true)).isFalse();
    final List<PeerId> all = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      final PeerId p = peer();
      if (table.add(p, x -> true)) {
        all.add(p);
      }
    }
    final byte[] target = new byte[8];
    new Random(7).nextBytes(target);
    final KadKey key = KadKey.of(target);
    final Comparator<KadKey> order = key.byDistance();
    final List<PeerId> expected = all.stream().sorted((a, b) -> order.compare(KadKey.of(a), KadKey.of(b))).limit(10).toList();
    assertThat(table.closest(key, 10)).containsExactlyElementsOf(expected);
  }

  @Test
  void keysDrawnForABucketLandInIt() {
    final KadKey self = KadKey.of(peer());
    final Random random = new Random(1);
    for (int prefix = 0; prefix < 12; prefix++) {
      assertThat(self.commonPrefixLength(KadKey.of(KadDht.keyInBucket(self, prefix, random)))).isEqualTo(prefix);
    }
  }
}
