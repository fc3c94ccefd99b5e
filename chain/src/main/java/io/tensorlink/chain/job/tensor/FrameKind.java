package io.tensorlink.chain.job.tensor;

/** What a {@code /tl/tensor/1.0.0} frame carries, and so which cell may send it to which. */
public enum FrameKind {
  /** Stage s−1's output for one micro-batch, to stage s of the same replica. */
  ACTIVATION(1),
  /** The gradient of stage s's output for one micro-batch, from stage s+1 to stage s of the same replica. */
  GRADIENT(2),
  /** A replica's whole parameter gradient of a stage, to every other replica of that stage (micro-batch 0). */
  REPLICA_GRADS(3);

  private final int code;

  FrameKind(final int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }

  /** @throws FrameRejectedException for an unknown code */
  public static FrameKind of(final int code) {
    for (final FrameKind k : values()) {
      if (k.code == code) {
        return k;
      }
    }
    throw new FrameRejectedException("unknown frame kind " + code);
  }
}
