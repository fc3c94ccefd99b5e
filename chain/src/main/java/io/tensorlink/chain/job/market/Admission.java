package io.tensorlink.chain.job.market;

/** Whether a market message was taken, and if not, why (the reason is what gets logged). */
public record Admission(boolean accepted, String reason) {
  private static final Admission OK = new Admission(true, "");

  public static Admission ok() {
    return OK;
  }

  public static Admission reject(final String reason) {
    return new Admission(false, reason);
  }
}
