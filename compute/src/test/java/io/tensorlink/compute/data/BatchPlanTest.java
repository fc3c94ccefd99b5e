package io.tensorlink.compute.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.BitSet;
import java.util.stream.IntStream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class BatchPlanTest {

  @Property(tries = 60)
  void permutationIsABijection(@ForAll @IntRange(min = 1, max = 3000) final int n, @ForAll final long key) {
    final IndexPermutation p = new IndexPermutation(n, key);
    final BitSet seen = new BitSet(n);
    for (int i = 0; i < n; i++) {
      final long v = p.apply(i);
      assertThat(v).isBetween(0L, n - 1L);
      seen.set((int) v);
    }
    assertThat(seen.cardinality()).isEqualTo(n);
  }

  @Test
  void permutationActuallyShufflesAndDependsOnKey() {
    final IndexPermutation a = new IndexPermutation(1000, 1);
    final IndexPermutation b = new IndexPermutation(1000, 2);
    final long fixedPointsA = IntStream.range(0, 1000).filter(i -> a.apply(i) == i).count();
    final long agreements = IntStream.range(0, 1000).filter(i -> a.apply(i) == b.apply(i)).count();
    // A random permutation has ~1 fixed point and two independent ones agree in ~1 place.
    assertThat(fixedPointsA).isLessThan(10);
    assertThat(agreements).isLessThan(10);
  }

  @Test
  void oneEpochCoversEachSampleAtMostOnceAcrossStepsAndReplicas() {
    final BatchPlan plan = new BatchPlan(1000, 32, 3, 42, true);
    assertThat(plan.stepsPerEpoch()).isEqualTo(10);
    final BitSet seen = new BitSet();
    for (int step = 0; step < plan.stepsPerEpoch(); step++) {
      for (int r = 0; r < 3; r++) {
        for (final int i : plan.indices(4, step, r)) {
          assertThat(seen.get(i)).as("sample %d seen twice", i).isFalse();
          seen.set(i);
        }
      }
    }
    assertThat(seen.cardinality()).isEqualTo(960);
  }

  @Test
  void replicaSlicesTileTheSingleProcessGlobalBatch() {
    final BatchPlan split = new BatchPlan(500, 8, 4, 7, true);
    final BatchPlan whole = new BatchPlan(500, 32, 1, 7, true);
    final int[] joined = IntStream.range(0, 4)
        .flatMap(r -> Arrays.stream(split.indices(2, 5, r)))
        .toArray();
    assertThat(joined).containsExactly(whole.indices(2, 5, 0));
  }

  @Test
  void indicesArePureFunctionsOfSeedEpochStepReplica() {
    final BatchPlan p = new BatchPlan(777, 16, 2, 99, true);
    final BatchPlan q = new BatchPlan(777, 16, 2, 99, true);
    assertThat(p.indices(3, 10, 1)).containsExactly(q.indices(3, 10, 1));
    assertThat(p.indices(3, 10, 1)).isNotEqualTo(p.indices(4, 10, 1));
    assertThat(p.indices(3, 10, 1))
        .isNotEqualTo(new BatchPlan(777, 16, 2, 100, true).indices(3, 10, 1));
    assertThat(p.indicesAtGlobalStep(3L * p.stepsPerEpoch() + 10, 1)).containsExactly(p.indices(3, 10, 1));
  }

  @Test
  void noShuffleIsTheIdentityOrder() {
    final BatchPlan p = new BatchPlan(100, 5, 2, 1, false);
    assertThat(p.indices(0, 3, 1)).containsExactly(35, 36, 37, 38, 39);
    assertThat(p.indices(7, 3, 1)).containsExactly(35, 36, 37, 38, 39);
  }

  @Test
  void outOfRangeArgumentsAreNamed() {
    final BatchPlan p = new BatchPlan(100, 10, 2, 1, true);
    assertThatThrownBy(() -> p.indices(0, 5, 0)).hasMessageContaining("step 5 outside [0, 5)");
    assertThatThrownBy(() -> p.indices(0, 0, 2)).hasMessageContaining("replica 2 outside [0, 2)");
    assertThatThrownBy(() -> new BatchPlan(10, 8, 2, 1, true)).hasMessageContaining("smaller than one global batch of 16");
    assertThatThrownBy(() -> new BatchPlan(10, 0, 1, 1, true)).hasMessageContaining("batch=0");
  }
}
