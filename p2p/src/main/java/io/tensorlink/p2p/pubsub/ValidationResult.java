package io.tensorlink.p2p.pubsub;

/** A topic validator's verdict, with the gossipsub v1.1 meanings. */
public enum ValidationResult {
  /** Deliver locally and forward. */
  ACCEPT,
  /** Invalid: drop, do not forward, and count it against the peer that sent it. */
  REJECT,
  /** Not invalid but unwanted (e.g. stale): drop quietly without blaming the sender. */
  IGNORE
}
