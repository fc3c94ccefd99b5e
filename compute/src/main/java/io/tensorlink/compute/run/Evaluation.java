package io.tensorlink.compute.run;

import io.tensorlink.compute.backend.Backend;
import io.tensorlink.compute.data.Batch;
import io.tensorlink.compute.data.Dataset;
import io.tensorlink.compute.nn.Model;
import io.tensorlink.compute.nn.Pass;
import io.tensorlink.compute.tensor.NamedTensors;
import io.tensorlink.compute.tensor.Tensor;

/** Classification accuracy of a model's argmax over a whole dataset, in fixed-size batches. */
public final class Evaluation {

  private Evaluation() {}

  /**
   * Fraction of label positions where the highest logit (first on ties) is the label; one
   * position per sample for classifiers, per token for sequence models.
   */
  public static double accuracy(final Model model, final Backend backend, final NamedTensors params,
      final Dataset data, final int batchSize) {
    final Pass pass = Pass.inference(backend, params);
    long correct = 0;
    long total = 0;
    for (int from = 0; from < data.size(); from += batchSize) {
      final int n = Math.min(batchSize, data.size() - from);
      final int[] idx = new int[n];
      for (int i = 0; i < n; i++) {
        idx[i] = from + i;
      }
      final Batch b = data.batch(idx);
      final Tensor out = model.forward(pass, InputShapes.fit(b.inputs(), model.inputShape(), data.name()));
      final int classes = out.dim(-1);
      final int rows = out.size() / classes;
      if (rows != b.labels().length) {
        throw new IllegalArgumentException("model output has " + rows + " rows of " + classes
            + " logits but the batch has " + b.labels().length + " labels");
      }
      final float[] o = out.data();
      for (int r = 0; r < rows; r++) {
        int best = 0;
        for (int c = 1; c < classes; c++) {
          if (o[r * classes + c] > o[r * classes + best]) {
            best = c;
          }
        }
        correct += best == b.labels()[r] ? 1 : 0;
      }
      total += rows;
    }
    return (double) correct / total;
  }
}
