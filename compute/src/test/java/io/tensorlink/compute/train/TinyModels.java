package io.tensorlink.compute.train;

import io.tensorlink.compute.data.Batch;
import io.tensorlink.compute.nn.Model;
import io.tensorlink.compute.optim.AdamW;
import io.tensorlink.compute.optim.LrSchedule;
import io.tensorlink.compute.spec.ModelFactory;
import io.tensorlink.compute.spec.ModelSpecs;
import io.tensorlink.compute.tensor.Tensor;
import java.util.List;
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

  /**
   * Attention past one block of query rows (21 tokens, a ragged second block), 3 heads of 4
   * features (not a multiple of any vector width).
   */
  public static final String GPT_LONG = """
      {"name": "gpt-long-tiny", "input": [21], "loss": "cross_entropy", "layers": [
        {"type": "embedding", "name": "wte", "vocab": 16, "dim": 12, "positions": 21},
        {"type": "residual", "name": "h0_attn", "layers": [
          {"type": "layernorm", "name": "ln"}, {"type": "attention", "name": "attn", "heads": 3}]},
        {"type": "residual", "name": "h0_mlp", "layers": [
          {"type": "layernorm", "name": "ln"}, {"type": "linear", "name": "fc", "out": 24},
          {"type": "gelu", "name": "gelu"}, {"type": "linear", "name": "proj", "out": 12}]},
        {"type": "layernorm", "name": "ln_f"},
        {"type": "linear", "name": "head", "out": 16}]}""";

  /** Every tiny model, in the order the determinism probe prints them. */
  public static final List<String> ALL = List.of(MLP, CNN, GPT, GPT_LONG);

  private TinyModels() {}

  public static Model model(final String json) {
    return ModelFactory.build(ModelSpecs.parse(json));
  }

  public static HyperParams hyperParams(final int shards) {
    return new HyperParams(AdamW.defaults(), new LrSchedule.WarmupCosine(0.01f, 2, 20, 0.001f), 1.0f, shards, 99);
  }

  /**
   * A learnable batch: image-like models see a fixed random prototype of their class plus noise;
   * token models see runs {@code t, t+1, ...} (mod vocab) and predict the next token.
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
      final int label = rnd.nextInt(classes);
      if (!tokens) {
        labels[s] = label;
      }
      for (int i = 0; i < per; i++) {
        final int k = s * per + i;
        if (tokens) {
          x.data()[k] = (label + i) % classes;
          labels[k] = (label + i + 1) % classes;
        } else {
          final float prototype = new SplittableRandom(label * 100_003L + i).nextBoolean() ? 1f : -1f;
          x.data()[k] = prototype + (float) rnd.nextGaussian() * 0.8f;
        }
      }
    }
    return new Batch(x, labels);
  }
}
