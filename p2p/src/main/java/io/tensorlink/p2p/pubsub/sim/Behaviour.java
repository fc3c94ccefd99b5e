package io.tensorlink.p2p.pubsub.sim;

/** What a {@link Sybil} does. Every sybil subscribes to the topic and forwards nothing. */
public enum Behaviour {
  /** Publishes messages the validator rejects (validly signed) to every peer, every heartbeat. */
  SPAM_INVALID,
  /** Grafts every peer, accepts every graft, forwards nothing and answers no IWANT: censorship. */
  CENSOR,
  /** As {@link #CENSOR}, and grafts every peer again every heartbeat whatever the backoff (eclipse). */
  GRAFT_FLOOD,
  /** Advertises ids it never delivers (IHAVE spam) and asks again and again for real ones (IWANT spam). */
  GOSSIP_SPAM
}
