package io.tensorlink.chain.job.tensor;

import io.tensorlink.chain.pol.work.LocalPipeline;
import io.tensorlink.compute.tensor.NamedTensors;
import io.tensorlink.compute.tensor.Tensor;

/** Payload conventions of {@code /tl/tensor/1.0.0}. */
public final class TensorFrames {
  /** The one tensor name of an activation or gradient frame (the name the verify wire gives link tensors). */
  public static final String LINK = LocalPipeline.single(Tensor.zeros(1)).name(0);

  private TensorFrames() {}

  /** An activation or gradient as a frame payload. */
  public static NamedTensors link(final Tensor t) {
    return LocalPipeline.single(t);
  }
}
