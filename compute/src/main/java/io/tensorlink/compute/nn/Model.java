package io.tensorlink.compute.nn;

import io.tensorlink.compute.loss.Loss;
import io.tensorlink.compute.tensor.NamedTensors;
import io.tensorlink.compute.tensor.Tensor;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * An immutable network: layers, per-sample input shape and loss. Parameter values are not part
 * of the model; they travel as {@link NamedTensors} in {@link #paramSpecs()} order.
 */
public final class Model {
  private final String name;
  private final LayerStack stack;
  private final Loss loss;
  private final List<ParamSpec> params;

  public Model(final String name, final int[] inputShape, final List<Layer> layers, final Loss loss) {
    if (layers.isEmpty()) {
      throw new IllegalArgumentException("model '" + name + "' has no layers");
    }
    final Set<String> layerNames = new HashSet<>();
    for (final Layer l : layers) {
      if (!layerNames.add(l.name())) {
        throw new IllegalArgumentException("model '" + name + "': duplicate layer name '" + l.name() + "'");
      }
    }
    this.name = name;
    this.stack = new LayerStack(layers, inputShape);
    this.loss = loss;
    this.params = stack.params();
    final Set<String> paramNames = new HashSet<>();
    for (final ParamSpec p : params) {
      if (!paramNames.add(p.name())) {
        throw new IllegalArgumentException("model '" + name + "': duplicate parameter name '" + p.name() + "'");
      }
    }
  }

  public String name() {
    return name;
  }

  public LayerStack stack() {
    return stack;
  }

  public List<Layer> layers() {
    return stack.layers();
  }

  public Loss loss() {
    return loss;
  }

  public int[] inputShape() {
    return stack.inputShape();
  }

  public int[] outputShape() {
    return stack.outputShape();
  }

  /** Parameters in spec order: the order of checkpoints, safetensors and paramsRoot. */
  public List<ParamSpec> paramSpecs() {
    return params;
  }

  public long paramCount() {
    long n = 0;
    for (final ParamSpec p : params) {
      n += Layer.size(p.shape());
    }
    return n;
  }

  /** Initial parameters, a pure function of {@code seed} (parameter i uses ordinal i). */
  public NamedTensors initParams(final long seed) {
    final NamedTensors.Builder b = NamedTensors.builder();
    for (int i = 0; i < params.size(); i++) {
      final ParamSpec p = params.get(i);
      final Tensor t = Tensor.zeros(p.shape());
      p.init().fill(t.data(), seed, i);
      b.add(p.name(), t);
    }
    return b.build();
  }

  /** Checks that {@code values} has exactly this model's names and shapes, in order. */
  public void checkParams(final NamedTensors values) {
    if (values.count() != params.size()) {
      throw new IllegalArgumentException("model '" + name + "' has " + params.size() + " parameters, got "
          + values.count() + " tensors " + values.names());
    }
    for (int i = 0; i < params.size(); i++) {
      final ParamSpec p = params.get(i);
      if (!p.name().equals(values.name(i)) || !java.util.Arrays.equals(p.shape(), values.get(i).shape())) {
        throw new IllegalArgumentException("model '" + name + "': parameter " + i + " should be " + p + ", got "
            + values.name(i) + java.util.Arrays.toString(values.get(i).shape()));
      }
    }
  }

  /** Inference: output for {@code x} of shape {@code [B, ...inputShape]}. */
  public Tensor forward(final Pass pass, final Tensor x) {
    return stack.forward(pass, x);
  }
}
