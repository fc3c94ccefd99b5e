package io.tensorlink.chain.job.tensor;

/** Where an incoming frame lands: one per (step, kind, micro-batch, sending cell). */
public record Slot(long step, FrameKind kind, int micro, int stage, int replica) {
  public static Slot of(final FrameHeader h) {
    return new Slot(h.step(), h.kind(), h.micro(), h.stage(), h.replica());
  }

  @Override
  public String toString() {
    return kind + " step " + step + " micro " + micro + " from stage " + stage + " replica " + replica;
  }
}
