package io.tensorlink.compute.nn;

import java.util.Arrays;

/**
 * A parameter's identity: its full dotted name ({@code fc1.weight}, {@code h0.attn.qkv.bias}),
 * shape and initialiser. The model lists them in spec order.
 */
public record ParamSpec(String name, int[] shape, Init init) {
  public ParamSpec {
    shape = shape.clone();
  }

  @Override
  public int[] shape() {
    return shape.clone();
  }

  @Override
  public boolean equals(final Object o) {
    return o instanceof ParamSpec p && name.equals(p.name) && Arrays.equals(shape, p.shape) && init.equals(p.init);
  }

  @Override
  public int hashCode() {
    return name.hashCode() * 31 + Arrays.hashCode(shape);
  }

  @Override
  public String toString() {
    return name + Arrays.toString(shape);
  }
}
