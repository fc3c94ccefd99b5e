package io.tensorlink.compute.checkpoint;

import io.tensorlink.compute.tensor.NamedTensors;
import io.tensorlink.compute.tensor.Tensor;
import java.util.Arrays;

/**
 * Relative L2 distances between parameter sets, for the {@code tolerant} verification mode
 * (steps computed on a GPU, re-executed on the CPU). Sums run in double in spec order, so the
 * result itself is deterministic.
 */
public final class ParamDistance {

  private ParamDistance() {}

  /** {@code ‖a − b‖₂ / ‖b‖₂} over all tensors; 0 when both are zero, infinite when only b is. */
  public static double relativeL2(final NamedTensors a, final NamedTensors b) {
    checkCompatible(a, b);
    double diff = 0;
    double norm = 0;
    for (int i = 0; i < a.count(); i++) {
      final float[] x = a.get(i).data();
      final float[] y = b.get(i).data();
      for (int j = 0; j < x.length; j++) {
        final double d = (double) x[j] - y[j];
        diff += d * d;
        norm += (double) y[j] * y[j];
      }
    }
    return ratio(diff, norm);
  }

  /**
   * Distance between two updates of the same starting point: {@code ‖(a − start) − (b − start)‖
   * / ‖b − start‖}, where {@code b} is the reference (the validator's recomputation). This is
   * the Proof-of-Learning criterion: it compares what a step changed, not the weights, which are
   * dominated by their shared starting point.
   */
  public static double relativeUpdateL2(final NamedTensors start, final NamedTensors a, final NamedTensors b) {
    checkCompatible(start, a);
    checkCompatible(start, b);
    double diff = 0;
    double norm = 0;
    for (int i = 0; i < start.count(); i++) {
      final float[] s = start.get(i).data();
      final float[] x = a.get(i).data();
      final float[] y = b.get(i).data();
      for (int j = 0; j < s.length; j++) {
        final double ux = (double) x[j] - s[j];
        final double uy = (double) y[j] - s[j];
        diff += (ux - uy) * (ux - uy);
        norm += uy * uy;
      }
    }
    return ratio(diff, norm);
  }

  private static double ratio(final double diffSquared, final double normSquared) {
    if (normSquared == 0) {
      return diffSquared == 0 ? 0 : Double.POSITIVE_INFINITY;
    }
    return StrictMath.sqrt(diffSquared) / StrictMath.sqrt(normSquared);
  }

  private static void checkCompatible(final NamedTensors a, final NamedTensors b) {
    if (!a.names().equals(b.names())) {
      throw new IllegalArgumentException("parameter sets differ in names: " + a.names() + " vs " + b.names());
    }
    for (int i = 0; i < a.count(); i++) {
      final Tensor x = a.get(i);
      final Tensor y = b.get(i);
      if (!x.sameShape(y)) {
        throw new IllegalArgumentException("tensor '" + a.name(i) + "' has shape " + Arrays.toString(x.shape())
            + " vs " + Arrays.toString(y.shape()));
      }
    }
  }
}
