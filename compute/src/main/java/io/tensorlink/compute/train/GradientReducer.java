package io.tensorlink.compute.train;

import io.tensorlink.compute.tensor.NamedTensors;
import java.util.List;

/**
 * Sums shard gradients in one fixed order: {@code ((g0 + g1) + g2) + …}, shard (replica) index
 * increasing. Float addition is not associative, so this order is part of the step's definition;
 * a data-parallel coordinator must fold replica results in replica order, never as they arrive.
 */
public final class GradientReducer {
  private GradientReducer() {}

  /** A new tensor set holding the ordered sum (inputs are not modified). */
  public static NamedTensors sum(final List<NamedTensors> shards) {
    if (shards.isEmpty()) {
      throw new IllegalArgumentException("no shard gradients to reduce");
    }
    final NamedTensors acc = shards.get(0).copy();
    for (int s = 1; s < shards.size(); s++) {
      addInto(acc, shards.get(s));
    }
    return acc;
  }

  /** {@code acc += g}, tensor by tensor; names and shapes must match. */
  public static void addInto(final NamedTensors acc, final NamedTensors g) {
    if (!acc.names().equals(g.names())) {
      throw new IllegalArgumentException("gradient sets differ: " + acc.names() + " vs " + g.names());
    }
    for (int i = 0; i < acc.count(); i++) {
      final float[] a = acc.get(i).data();
      final float[] b = g.get(i).data();
      if (a.length != b.length) {
        throw new IllegalArgumentException("gradient '" + acc.name(i) + "' sizes differ: " + a.length + " vs " + b.length);
      }
      for (int j = 0; j < a.length; j++) {
        a[j] += b[j];
      }
    }
  }

  /** Sum of shard losses in shard order. */
  public static double lossSum(final List<ShardGradients> shards) {
    double s = 0;
    for (final ShardGradients g : shards) {
      s += g.lossSum();
    }
    return s;
  }
}
