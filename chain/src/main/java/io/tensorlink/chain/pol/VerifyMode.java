package io.tensorlink.chain.pol;

/** How a sampled record is re-executed; the ordinal is the on-chain {@code uint8 verifyMode}. */
public enum VerifyMode {
  /** CPU on both sides: every root bitwise equal. */
  EXACT,
  /** GPU steps re-executed on the CPU: relative L2 of the parameter update within the job's δ. */
  TOLERANT
}
