package io.tensorlink.chain.validator.dispute;

/** {@code DisputeCourt.DisputeStatus}, in the contract's order (the ordinal is the on-chain value). */
public enum DisputeStatus {
  NONE,
  DRAWING,
  VOTING,
  FRAUD,
  REJECTED,
  NO_QUORUM,
  EXPIRED;

  /** The status with on-chain value {@code ordinal}. */
  public static DisputeStatus of(final int ordinal) {
    final DisputeStatus[] all = values();
    if (ordinal < 0 || ordinal >= all.length) {
      throw new IllegalArgumentException("unknown dispute status " + ordinal);
    }
    return all[ordinal];
  }

  /** A verdict was reached (or the dispute expired): nothing is left to do on it. */
  public boolean resolved() {
    return ordinal() >= FRAUD.ordinal();
  }
}
