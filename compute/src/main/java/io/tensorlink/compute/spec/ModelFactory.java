package io.tensorlink.compute.spec;

import io.tensorlink.compute.backend.Activation;
import io.tensorlink.compute.loss.CrossEntropy;
import io.tensorlink.compute.loss.Loss;
import io.tensorlink.compute.loss.MeanSquaredError;
import io.tensorlink.compute.nn.ActivationLayer;
import io.tensorlink.compute.nn.CausalSelfAttention;
import io.tensorlink.compute.nn.Conv2d;
import io.tensorlink.compute.nn.Dropout;
import io.tensorlink.compute.nn.Embedding;
import io.tensorlink.compute.nn.Flatten;
import io.tensorlink.compute.nn.Layer;
import io.tensorlink.compute.nn.LayerNorm;
import io.tensorlink.compute.nn.Linear;
import io.tensorlink.compute.nn.MaxPool2d;
import io.tensorlink.compute.nn.Model;
import io.tensorlink.compute.nn.Residual;
import io.tensorlink.compute.spec.LayerSpec.AttentionSpec;
import io.tensorlink.compute.spec.LayerSpec.Conv2dSpec;
import io.tensorlink.compute.spec.LayerSpec.DropoutSpec;
import io.tensorlink.compute.spec.LayerSpec.EmbeddingSpec;
import io.tensorlink.compute.spec.LayerSpec.FlattenSpec;
import io.tensorlink.compute.spec.LayerSpec.GeluSpec;
import io.tensorlink.compute.spec.LayerSpec.LayerNormSpec;
import io.tensorlink.compute.spec.LayerSpec.LinearSpec;
import io.tensorlink.compute.spec.LayerSpec.MaxPool2dSpec;
import io.tensorlink.compute.spec.LayerSpec.ReluSpec;
import io.tensorlink.compute.spec.LayerSpec.ResidualSpec;
import io.tensorlink.compute.spec.LayerSpec.TanhSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Builds a {@link Model} from a {@link ModelSpec}, inferring each layer's input size from the
 * shape flowing into it. Layers nested in a residual block get dotted names
 * ({@code h0.attn.ln}), so parameter names are {@code h0.attn.ln.weight}.
 */
public final class ModelFactory {
  private ModelFactory() {}

  /** Reads, validates and builds the spec in {@code file}. */
  public static Model load(final Path file) {
    try {
      return build(ModelSpecs.read(file));
    } catch (final SpecException e) {
      throw e.getMessage().startsWith(file.toString()) ? e : new SpecException(file + ": " + e.getMessage(), e);
    }
  }

  public static Model build(final ModelSpec spec) {
    final List<Layer> layers = new ArrayList<>();
    int[] shape = spec.input();
    for (final LayerSpec ls : spec.layers()) {
      final Layer l = layer(ls, "", shape);
      shape = checked(l, shape);
      layers.add(l);
    }
    final Loss loss = "mse".equals(spec.loss()) ? new MeanSquaredError() : new CrossEntropy();
    if (loss instanceof CrossEntropy && shape.length == 0) {
      throw new SpecException("model '" + spec.name() + "': cross_entropy needs an output with a class dimension");
    }
    try {
      return new Model(spec.name(), spec.input(), layers, loss);
    } catch (final IllegalArgumentException e) {
      throw new SpecException(e.getMessage(), e);
    }
  }

  private static int[] checked(final Layer l, final int[] shape) {
    try {
      return l.outputShape(shape);
    } catch (final IllegalArgumentException e) {
      throw new SpecException(e.getMessage(), e);
    }
  }

  private static Layer layer(final LayerSpec ls, final String prefix, final int[] in) {
    final String name = prefix + ls.name();
    try {
      return switch (ls) {
        case LinearSpec s -> new Linear(name, last(name, "linear", in), s.out(), s.bias());
        case Conv2dSpec s -> new Conv2d(name, channels(name, in), s.out(), s.kernel(), s.stride(), s.padding());
        case MaxPool2dSpec s -> new MaxPool2d(name, s.kernel(), s.stride());
        case ReluSpec s -> new ActivationLayer(name, Activation.RELU);
        case GeluSpec s -> new ActivationLayer(name, Activation.GELU);
        case TanhSpec s -> new ActivationLayer(name, Activation.TANH);
        case DropoutSpec s -> new Dropout(name, s.p());
        case LayerNormSpec s -> new LayerNorm(name, last(name, "layernorm", in), s.eps());
        case EmbeddingSpec s -> new Embedding(name, s.vocab(), s.dim(), s.positions());
        case FlattenSpec s -> new Flatten(name);
        case AttentionSpec s -> new CausalSelfAttention(name, last(name, "attention", in), s.heads());
        case ResidualSpec s -> residual(name, s, in);
      };
    } catch (final SpecException e) {
      throw e;
    } catch (final IllegalArgumentException e) {
      throw new SpecException(e.getMessage() + " (input shape " + Arrays.toString(in) + ")", e);
    }
  }

  private static Residual residual(final String name, final ResidualSpec s, final int[] in) {
    final List<Layer> inner = new ArrayList<>();
    int[] shape = in;
    for (final LayerSpec ls : s.layers()) {
      final Layer l = layer(ls, name + ".", shape);
      shape = checked(l, shape);
      inner.add(l);
    }
    final Residual r = new Residual(name, inner);
    checked(r, in);
    return r;
  }

  private static int last(final String name, final String type, final int[] in) {
    if (in.length == 0) {
      throw new SpecException("layer '" + name + "' (" + type + "): input shape [] has no feature dimension");
    }
    return in[in.length - 1];
  }

  private static int channels(final String name, final int[] in) {
    if (in.length != 3) {
      throw new SpecException("layer '" + name + "' (conv2d): input shape " + Arrays.toString(in)
          + " must be [channels, height, width]");
    }
    return in[0];
  }
}
