package io.tensorlink.chain.pol.work;

import io.tensorlink.compute.checkpoint.ParamsRoot;
import io.tensorlink.compute.tensor.NamedTensors;
import io.tensorlink.compute.tensor.Tensor;
import org.apache.tuweni.bytes.Bytes32;

/**
 * The hashes a step record carries: pipeline links (activations and their gradients, as they
 * cross between stages) and the roots of parameter, optimizer-state and gradient sets.
 */
public final class Links {
  /** The name bound into every link hash; shape and data are bound too. */
  static final String LINK = "link";

  private Links() {}

  /** compute's {@code tensorHash("link", t)}: binds shape and the float32 bits. */
  public static Bytes32 of(final Tensor t) {
    return Bytes32.wrap(ParamsRoot.tensorHash(LINK, t));
  }

  /** {@code paramsRoot} of a named tensor set (parameters, optimizer state, gradients). */
  public static Bytes32 root(final NamedTensors tensors) {
    return Bytes32.wrap(ParamsRoot.of(tensors));
  }
}
