package io.tensorlink.compute.dist;

import io.tensorlink.compute.nn.Layer;
import io.tensorlink.compute.nn.LayerStack;
import io.tensorlink.compute.nn.Model;
import io.tensorlink.compute.nn.ParamSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a model's top-level layers into k contiguous stages minimising the most expensive
 * stage, where a layer costs its forward multiply-adds per sample plus its parameter count (a
 * stand-in for the optimizer's memory traffic). Residual blocks are never split. Ties go to the
 * earliest split, so the partition is a pure function of the model and k.
 */
public final class PipelinePartitioner {
  private PipelinePartitioner() {}

  public static List<StageRange> partition(final Model model, final int k) {
    final LayerStack stack = model.stack();
    final int n = stack.layers().size();
    if (k < 1 || k > n) {
      throw new IllegalArgumentException(
          "cannot split model '" + model.name() + "' with " + n + " layers into " + k + " stages");
    }
    final long[] prefix = new long[n + 1];
    for (int i = 0; i < n; i++) {
      prefix[i + 1] = prefix[i] + cost(stack, i);
    }
    // best[j][i]: minimal max-stage cost for the first i layers in j stages; cut[j][i] its last cut.
    final long[][] best = new long[k + 1][n + 1];
    final int[][] cut = new int[k + 1][n + 1];
    for (final long[] row : best) {
      java.util.Arrays.fill(row, Long.MAX_VALUE);
    }
    best[0][0] = 0;
    for (int j = 1; j <= k; j++) {
      for (int i = j; i <= n; i++) {
        for (int c = j - 1; c < i; c++) {
          if (best[j - 1][c] == Long.MAX_VALUE) {
            continue;
          }
          final long v = Math.max(best[j - 1][c], prefix[i] - prefix[c]);
          if (v < best[j][i]) {
            best[j][i] = v;
            cut[j][i] = c;
          }
        }
      }
    }
    final List<StageRange> stages = new ArrayList<>();
    int end = n;
    for (int j = k; j >= 1; j--) {
      final int start = cut[j][end];
      stages.add(0, new StageRange(start, end, prefix[end] - prefix[start]));
      end = start;
    }
    return List.copyOf(stages);
  }

  /** Stages built from {@link #partition}. */
  public static List<Stage> stages(final Model model, final int k) {
    final List<Stage> out = new ArrayList<>();
    final List<StageRange> ranges = partition(model, k);
    for (int i = 0; i < ranges.size(); i++) {
      out.add(Stage.of(model, i, ranges.size(), ranges.get(i)));
    }
    return List.copyOf(out);
  }

  private static long cost(final LayerStack stack, final int i) {
    long params = 0;
    for (final ParamSpec p : stack.layers().get(i).params()) {
      params += Layer.size(p.shape());
    }
    return stack.flops(i) + params;
  }
}
