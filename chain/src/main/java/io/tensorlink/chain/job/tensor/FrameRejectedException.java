package io.tensorlink.chain.job.tensor;

/** A {@code /tl/tensor/1.0.0} frame that a receiver refuses; the message says why. */
public final class FrameRejectedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public FrameRejectedException(final String reason) {
    super(reason);
  }
}
