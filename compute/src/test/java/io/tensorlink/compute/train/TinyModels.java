package io.tensorlink.compute.train;

import io.tensorlink.compute.data.Batch;
import io.tensorlink.compute.nn.Model;
import io.tensorlink.compute.optim.AdamW;
import io.tensorlink.compute.optim.LrSchedule;
import io.tensorlink.compute.spec.ModelFactory;
import io.tensorlink.compute.spec.ModelSpecs;
import io.tensorlink.compute.tensor.Tensor;
import java.util.SplittableRandom;

/** Small versions of the three model families, and seeded synthetic batches for them. */
public final class TinyModels {
  public static final String MLP = """
      {"name": "mlp-tiny", "input": [1, 8, 8], "loss": "cross_entropy", "layers": [
        {"type": "flatten", "name": "flatten"},
        {"type": "linear", "name": "fc1", "out": 40},
        {"type": "relu", "name": "relu1"},
        {"type": "dropout", "name": "drop", "p": 0.2},
        {"type": "linear", "name": "fc2", "out": 24},
        {"type": "tanh", "name": "tanh"},
        {"type": "linear", "name": "fc3", "out": 10}]}""";
  public static final String CNN = """
      {"name": "cnn-tiny", "input": [1, 10, 10], "loss": "cross_entropy", "layers": [
        {"type": "conv2d", "name": "conv1", "out": 4, "kernel": 3, "padding": 1},
        {"type": "relu", "name": "relu1"},
        {"type": "maxpool2d", "name": "pool1", "kernel": 2},
        {"type": "conv2d", "name": "conv2", "out": 6, "kernel": 3, "padding": 1},
        {"type": "relu", "name": "relu2"},
        {"type": "maxpool2d", "name": "pool2", "kernel": 2},
        {"type": "flatten", "name": "flatten"},
        {"type": "linear", "name": "fc", "out": 10}]}""";
  public static final String GPT = """
      {"name": "gpt-tiny", "input": [8], "loss": "cross_entropy", "layers": [
        {"type": "embedding", "name": "wte", "vocab": 16, "dim": 16, "positions": 8},
        {"type": "residual", "name": "h0_attn", "layers": [
          {"type": "layernorm", "name": "ln"}, {"type": "attention", "name": "attn", "heads": 2}]},
        {"type": "residual", "name": "h0_mlp", "layers": [
          {"type": "layernorm", "name": "ln"}, {"type": "linear", "name": "fc", "out": 32},
          {"type": "gelu", "name": "gelu"}, {"type": "linear", "name": "proj", "out": 16}]},
        {"type": "layernorm", "name": "ln_f"},
        {"type": "linear", "name": "head", "out": 16}]}""";

  private TinyModels() {}

  public static Model model(final String json) {
    return ModelFactory.build(ModelSpecs.parse(json));
  }

  public static HyperParams hyperParams(final int shards) {
    return new HyperParams(AdamW.defaults(), new LrSchedule.WarmupCosine(0.01f, 2, 20, 0.001f), 1.0f, shards, 99);
  }

  /**
   * A batch whose labels depend on the inputs (so the loss can fall): class = index of the
   * largest of the first 10 input values (token models: next token = (token + 1) mod vocab).
   */
  public static Batch batch(final Model model, final int size, final long seed) {
    final SplittableRandom rnd = new SplittableRandom(seed);
    final int[] shape = model.inputShape();
    final int per = Tensor.checkedSize(shape);
    final Tensor x = Tensor.zeros(io.tensorlink.compute.nn.Layer.batched(size, shape));
    final boolean tokens = model.name().startsWith("gpt");
    final int classes = model.outputShape()[model.outputShape().length - 1];
    final int[] labels = new int[tokens ? size * per : size];
    for (int s = 0; s < size; s++) {
      int best = 0;
      for (int i = 0; i < per; i++) {
        final int k = s * per + i;
        if (tokens) {
          x.data()[k] = i == 0 ? rnd.nextInt(classes) : (x.data()[k - 1] + 1) % classes;
          labels[k] = ((int) x.data()[k] + 1) % classes;
        } else {
          x.data()[k] = (float) rnd.nextDouble(-1, 1);
          if (i < classes && x.data()[k] > x.data()[s * per + best]) {
            best = i;
          }
        }
      }
      if (!tokens) {
        labels[s] = best;
      }
    }
    return new Batch(x, labels);
  }
}
