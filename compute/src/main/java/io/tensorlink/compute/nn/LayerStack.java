package io.tensorlink.compute.nn;

import io.tensorlink.compute.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A contiguous run of layers with known per-sample input shape: a whole model or one pipeline
 * stage. Construction checks that the shapes chain; errors name the layer and the shapes.
 */
public final class LayerStack {
  private final List<Layer> layers;
  private final int[] inputShape;
  private final List<int[]> inputShapes;
  private final int[] outputShape;

  public LayerStack(final List<Layer> layers, final int[] inputShape) {
    this.layers = List.copyOf(layers);
    this.inputShape = inputShape.clone();
    final List<int[]> shapes = new ArrayList<>();
    int[] s = this.inputShape;
    for (final Layer l : this.layers) {
      shapes.add(s);
      s = l.outputShape(s);
    }
    this.inputShapes = List.copyOf(shapes);
    this.outputShape = s;
  }

  public List<Layer> layers() {
    return layers;
  }

  public int[] inputShape() {
    return inputShape.clone();
  }

  public int[] outputShape() {
    return outputShape.clone();
  }

  /** Per-sample input shape of layer {@code i}. */
  public int[] inputShapeOf(final int i) {
    return inputShapes.get(i).clone();
  }

  public List<ParamSpec> params() {
    final List<ParamSpec> p = new ArrayList<>();
    for (final Layer l : layers) {
      p.addAll(l.params());
    }
    return p;
  }

  /** Parameter names in order. */
  public List<String> paramNames() {
    return params().stream().map(ParamSpec::name).toList();
  }

  /** Forward multiply-adds per sample of layer {@code i}. */
  public long flops(final int i) {
    return layers.get(i).flops(inputShapes.get(i));
  }

  public Tensor forward(final Pass pass, final Tensor x) {
    checkInput(x);
    Tensor h = x;
    for (final Layer l : layers) {
      h = l.forward(pass, h);
    }
    return h;
  }

  /** Returns the input gradient, or null when {@code needInputGrad} is false. */
  public Tensor backward(final Pass pass, final Tensor dy, final boolean needInputGrad) {
    Tensor g = dy;
    for (int i = layers.size() - 1; i >= 0; i--) {
      g = layers.get(i).backward(pass, g, i > 0 || needInputGrad);
    }
    return g;
  }

  private void checkInput(final Tensor x) {
    final int[] s = x.shape();
    if (s.length != inputShape.length + 1 || !Arrays.equals(Arrays.copyOfRange(s, 1, s.length), inputShape)) {
      throw new IllegalArgumentException("input " + x + " does not match [batch, " + Arrays.toString(inputShape)
          .substring(1) + (layers.isEmpty() ? "" : " expected by layer '" + layers.get(0).name() + "'"));
    }
  }
}
