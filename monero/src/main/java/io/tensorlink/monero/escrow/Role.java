package io.tensorlink.monero.escrow;

/** The three keys of a 2-of-3 escrow; any two can spend. */
public enum Role {
  CLIENT,
  WORKER,
  ARBITER
}
