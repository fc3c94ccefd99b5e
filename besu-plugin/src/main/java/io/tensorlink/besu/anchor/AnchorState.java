package io.tensorlink.besu.anchor;

import java.math.BigInteger;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the plugin knows of the suite's on-chain state, built only from the logs of the blocks Besu
 * imported, each applied once and in order (QBFT blocks are final: there is no undo): each job's
 * anchoring head and anchored blocks, and StakeManager's live active set with its stakes.
 *
 * <p>Every node that imported the same blocks holds the same state, which is what lets the
 * validation rule read it without splitting the chain. {@link #version()} changes with every
 * applied log so cached verdicts can tell whether the state they saw is still current.
 * Thread-safe: Besu delivers events and validates transactions on different threads.
 */
public final class AnchorState {
  private static final Logger LOG = LoggerFactory.getLogger(AnchorState.class);

  private final String anchor;
  private final String stakeManager;
  private final Map<BigInteger, Head> heads = new HashMap<>();
  private final Map<BigInteger, Map<Long, ContractEvents.Anchored>> blocks = new HashMap<>();
  private final Map<BigInteger, Map<Long, ContractEvents.Committed>> commitments = new HashMap<>();
  private final Map<String, BigInteger> live = new LinkedHashMap<>();
  private long version;
  private long headBlock = -1;

  /**
   * @param anchor PoLAnchor's address
   * @param stakeManager StakeManager's address
   */
  public AnchorState(final String anchor, final String stakeManager) {
    this.anchor = Hex.normalize(anchor, 20, "PoLAnchor address");
    this.stakeManager = Hex.normalize(stakeManager, 20, "StakeManager address");
  }

  public String anchorAddress() {
    return anchor;
  }

  public String stakeManagerAddress() {
    return stakeManager;
  }

  /** Records that every log of block {@code number} has been applied; blocks come in order. */
  public synchronized void onBlock(final long number) {
    if (number <= headBlock) {
      throw new IllegalStateException("block " + number + " after block " + headBlock + ": blocks must be applied once, in order");
    }
    headBlock = number;
  }

  /** Applies one log; logs of other contracts or events are ignored. */
  public synchronized void apply(final ChainLog log) {
    if (log.topics().isEmpty() || !(log.address().equals(anchor) || log.address().equals(stakeManager))) {
      return;
    }
    final String t0 = log.topics().get(0);
    try {
      if (log.address().equals(anchor)) {
        applyAnchor(log, t0);
      } else {
        applyStake(log, t0);
      }
    } catch (RuntimeException e) {
      // Every node fails on the same log the same way, so skipping it keeps them in agreement; the
      // usual cause is contracts newer than this plugin, which the operator must hear about.
      LOG.error("TensorLink cannot decode a log of block {} from {} (topic {}): {}; is the plugin older than the contracts?",
          log.blockNumber(), log.address(), t0, e.getMessage());
      return;
    }
    version++;
  }

  private void applyAnchor(final ChainLog log, final String t0) {
    if (t0.equals(ContractEvents.BLOCK_COMMITTED)) {
      final ContractEvents.Committed c = ContractEvents.committed(log);
      commitments.computeIfAbsent(c.jobId(), j -> new HashMap<>()).put(c.index(), c);
      return;
    }
    if (!t0.equals(ContractEvents.BLOCK_ANCHORED)) {
      throw new IllegalArgumentException("PoLAnchor emitted an event this plugin does not know");
    }
    final ContractEvents.Anchored a = ContractEvents.anchored(log);
    heads.put(a.jobId(), new Head(a.blockHash(), a.index() + 1, a.stepTo()));
    blocks.computeIfAbsent(a.jobId(), j -> new HashMap<>()).put(a.index(), a);
  }

  private void applyStake(final ChainLog log, final String t0) {
    if (t0.equals(ContractEvents.ACTIVE_SET_JOINED)) {
      live.put(ContractEvents.account(log), ContractEvents.dataUint(log, 0));
    } else if (t0.equals(ContractEvents.ACTIVE_SET_LEFT)) {
      live.remove(ContractEvents.account(log));
    } else if (t0.equals(ContractEvents.STAKED)) {
      // A member's new stake: StakeManager re-seats it without an active-set event.
      live.computeIfPresent(ContractEvents.account(log), (a, s) -> ContractEvents.dataUint(log, 1));
    } else if (t0.equals(ContractEvents.SLASHED) || t0.equals(ContractEvents.UNSTAKE_REQUESTED)) {
      live.computeIfPresent(ContractEvents.account(log), (a, s) -> s.subtract(ContractEvents.dataUint(log, 0)).max(BigInteger.ZERO));

    }
  }

  public synchronized long version() {
    return version;
  }

  /** The last block whose logs have all been applied; -1 before the first. */
  public synchronized long headBlock() {
    return headBlock;
  }

  public synchronized Head head(final BigInteger jobId) {
    return heads.getOrDefault(jobId, Head.GENESIS);
  }

  public synchronized boolean knowsJob(final BigInteger jobId) {
    return heads.containsKey(jobId);
  }

  public synchronized Optional<ContractEvents.Anchored> block(final BigInteger jobId, final long index) {
    return Optional.ofNullable(blocks.getOrDefault(jobId, Map.of()).get(index));
  }

  /** The live active set as of the last applied block. */
  public synchronized ValidatorSet liveSet() {
    return new ValidatorSet(live);
  }

  /** The randomness of an anchored block, from its {@code BlockCommitted} event. */
  public synchronized Optional<ContractEvents.Committed> commitment(final BigInteger jobId, final long index) {
    return Optional.ofNullable(commitments.getOrDefault(jobId, Map.of()).get(index));
  }

}
