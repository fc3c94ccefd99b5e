package io.tensorlink.chain.validator;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * In-memory progress of one pending (job, block index) on this node: when its records were first
 * complete (round 0 starts then), the last round this node led, the headers proposed for it and
 * what this node made of each. Lost on restart by design: the store keeps what must survive (the
 * signing guard, the signed header, attestations).
 */
final class BlockRound {
  /** When this node first looked at the block. */
  final long openedAt;
  /** When this node last asked its peers for the block's records (-1: never). */
  long fetchedAt = -1;
  /** Some of the block's records came from that request rather than from gossip. */
  boolean fetched;
  /** Completed with records fetched from peers right after a start, this node proposes no header of its own before this. */
  long quietUntil;
  /** -1 until this node holds all of the block's records. */
  long readySince = -1;
  /** The chain head when this node first held all of the block's records (-1 before): the randomness rule's reference. */
  long readyBlock = -1;
  /**
   * The chain head once the leader's record slack had passed (-1 before): a leader takes randomness
   * mined after it, so the other validators' later copies of the records count too.
   */
  long slackBlock = -1;
  /** The last round in which this node proposed. */
  long proposedRound = -1;
  /** Headers seen for this (job, index), by hash text. */
  final Map<String, BlockCandidate> headers = new LinkedHashMap<>();
  /** This node's verdict per header hash (absent: not judged yet or incomplete); read lock-free by {@code Validator.refusal}. */
  final Map<String, Verdict> verdicts = new ConcurrentHashMap<>();
  /** Headers this node proposed. */
  final Set<String> proposed = new HashSet<>();
  /** When this node first saw a quorum of attestations per header. */
  final Map<String, Long> quorumSince = new HashMap<>();
  /** When this node last submitted each header. */
  final Map<String, Long> submittedAt = new HashMap<>();

  BlockRound(final long openedAt) {
    this.openedAt = openedAt;
  }

  long round(final long now, final long timeoutMillis) {
    return readySince < 0 ? -1 : (now - readySince) / timeoutMillis;
  }
}
