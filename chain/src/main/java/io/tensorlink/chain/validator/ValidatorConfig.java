package io.tensorlink.chain.validator;

import java.time.Duration;

/**
 * Validator settings.
 *
 * @param confirmations chain events are applied once this many blocks are on top of them (0 on anvil)
 * @param leaderTimeout how long a (job, block) leader has before the next validator in the schedule
 *     takes over, counted from when this node first had the block's records
 * @param submitGrace how long a non-proposer waits after seeing a quorum before it submits the
 *     header itself (the proposer submits at once)
 * @param maxLogRange the most chain blocks one {@code eth_getLogs} request covers
 * @param activeSetRefresh how often the active validator set is re-read from the chain
 * @param randomnessWindow a header's randomness must be the hash of one of the last this-many chain
 *     blocks when this node judges it, and mined after this node held every record of the block
 *     (docs/validator.md, "Randomness rule")
 * @param recordSlack how long a leader waits, once it holds every record of a block, before it takes
 *     the chain's randomness: the other validators' copies of the records arrive by gossip a little
 *     later, and each accepts only randomness mined after it held them all
 */
public record ValidatorConfig(int confirmations, Duration leaderTimeout, Duration submitGrace, int maxLogRange,
    Duration activeSetRefresh, int randomnessWindow, Duration recordSlack) {
  public ValidatorConfig {
    require(confirmations >= 0, "confirmations must not be negative, got " + confirmations);
    require(leaderTimeout.toMillis() > 0, "leaderTimeout must be positive, got " + leaderTimeout);
    require(!submitGrace.isNegative(), "submitGrace must not be negative, got " + submitGrace);
    require(maxLogRange > 0, "maxLogRange must be positive, got " + maxLogRange);
    require(!activeSetRefresh.isNegative(), "activeSetRefresh must not be negative, got " + activeSetRefresh);
    require(randomnessWindow > 0 && randomnessWindow <= 256, "randomnessWindow must be 1..256 blocks (the anchor's"
        + " blockhash horizon), got " + randomnessWindow);
    require(!recordSlack.isNegative(), "recordSlack must not be negative, got " + recordSlack);
  }

  /**
   * Defaults for a public chain: 2 confirmations, 20 s leader timeout, 10 s grace, 2000-block log
   * windows, randomness from the last 16 blocks (a leader timeout is 2-10 blocks at 2-12 s per block),
   * no record slack (the node sets one: {@code tl-cli node start --record-slack}).
   */
  public static ValidatorConfig defaults() {
    return new ValidatorConfig(2, Duration.ofSeconds(20), Duration.ofSeconds(10), 2_000, Duration.ofSeconds(30), 16,
        Duration.ZERO);
  }

  public ValidatorConfig withConfirmations(final int value) {
    return new ValidatorConfig(value, leaderTimeout, submitGrace, maxLogRange, activeSetRefresh, randomnessWindow,
        recordSlack);
  }

  public ValidatorConfig withLeaderTimeout(final Duration value) {
    return new ValidatorConfig(confirmations, value, submitGrace, maxLogRange, activeSetRefresh, randomnessWindow,
        recordSlack);
  }

  public ValidatorConfig withSubmitGrace(final Duration value) {
    return new ValidatorConfig(confirmations, leaderTimeout, value, maxLogRange, activeSetRefresh, randomnessWindow,
        recordSlack);
  }

  public ValidatorConfig withActiveSetRefresh(final Duration value) {
    return new ValidatorConfig(confirmations, leaderTimeout, submitGrace, maxLogRange, value, randomnessWindow,
        recordSlack);
  }

  public ValidatorConfig withRandomnessWindow(final int value) {
    return new ValidatorConfig(confirmations, leaderTimeout, submitGrace, maxLogRange, activeSetRefresh, value,
        recordSlack);
  }

  public ValidatorConfig withRecordSlack(final Duration value) {
    return new ValidatorConfig(confirmations, leaderTimeout, submitGrace, maxLogRange, activeSetRefresh, randomnessWindow,
        value);
  }

  private static void require(final boolean ok, final String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }
}
