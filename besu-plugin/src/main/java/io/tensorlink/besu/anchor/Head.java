package io.tensorlink.besu.anchor;

/**
 * A job's anchoring head, as PoLAnchor's {@code head(jobId)} returns it.
 *
 * @param lastHash the last anchored block's hash (zero before the first)
 * @param nextIndex the index the next block must have
 * @param nextStep the stepFrom the next block must have
 */
public record Head(String lastHash, long nextIndex, long nextStep) {
  public static final String ZERO = "0x" + "00".repeat(32);
  public static final Head GENESIS = new Head(ZERO, 0, 0);
}
