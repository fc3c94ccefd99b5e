package io.tensorlink.compute.spec;

import java.util.Arrays;
import java.util.List;

/**
 * A model as JSON describes it: name, per-sample input shape, layers and loss.
 *
 * @param input per-sample input shape, e.g. {@code [1, 28, 28]} or {@code [64]} tokens
 * @param loss {@code cross_entropy} or {@code mse}
 */
public record ModelSpec(String name, int[] input, String loss, List<LayerSpec> layers) {

  public ModelSpec {
    if (name == null || name.isBlank()) {
      throw new SpecException("model spec has no 'name'");
    }
    if (input == null || input.length == 0 || Arrays.stream(input).anyMatch(d -> d < 1)) {
      throw new SpecException("model '" + name + "': 'input' must be a non-empty list of positive dimensions, got "
          + Arrays.toString(input));
    }
    if (!"cross_entropy".equals(loss) && !"mse".equals(loss)) {
      throw new SpecException("model '" + name + "': 'loss' must be cross_entropy or mse, got " + loss);
    }
    if (layers == null || layers.isEmpty()) {
      throw new SpecException("model '" + name + "': 'layers' must list at least one layer");
    }
    input = input.clone();
    layers = List.copyOf(layers);
  }

  @Override
  public int[] input() {
    return input.clone();
  }

  @Override
  public boolean equals(final Object o) {
    return o instanceof ModelSpec s && name.equals(s.name) && Arrays.equals(input, s.input) && loss.equals(s.loss)
        && layers.equals(s.layers);
  }

  @Override
  public int hashCode() {
    return name.hashCode() * 31 + layers.hashCode();
  }

  @Override
  public String toString() {
    return "ModelSpec[" + name + ", input=" + Arrays.toString(input) + ", " + layers.size() + " layers, " + loss + "]";
  }
}
