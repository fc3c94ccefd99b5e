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
 */
public record ValidatorConfig(
    int confirmations, Duration leaderTimeout, Duration submitGrace, int maxLogRange, Duration activeSetRefresh) {
  public ValidatorConfig {
    require(confirmations >= 0, "confirmations must not be negative, got " + confirmations);
    require(leaderTimeout.toMillis() > 0, "leaderTimeout must be positive, got " + leaderTimeout);
    require(!submitGrace.isNegative(), "submitGrace must not be negative, got " + submitGrace);
    require(maxLogRange > 0, "maxLogRange must be positive, got " + maxLogRange);
    require(!activeSetRefresh.isNegative(), "activeSetRefresh must not be negative, got " + activeSetRefresh);
  }

  /** Defaults for a public chain: 2 confirmations, 20 s leader timeout, 10 s grace, 2000-block log windows. */
  public static ValidatorConfig defaults() {
    return new ValidatorConfig(2, Duration.ofSeconds(20), Duration.ofSeconds(10), 2_000, Duration.ofSeconds(30));
  }

  public ValidatorConfig withConfirmations(final int value) {
    return new ValidatorConfig(value, leaderTimeout, submitGrace, maxLogRange, activeSetRefresh);
  }

  public ValidatorConfig withLeaderTimeout(final Duration value) {
    return new ValidatorConfig(confirmations, value, submitGrace, maxLogRange, activeSetRefresh);
  }

  public ValidatorConfig withSubmitGrace(final Duration value) {
    return new ValidatorConfig(confirmations, leaderTimeout, value, maxLogRange, activeSetRefresh);
  }

  public ValidatorConfig withActiveSetRefresh(final Duration value) {
    return new ValidatorConfig(confirmations, leaderTimeout, submitGrace, maxLogRange, value);
  }

  private static void require(final boolean ok, final String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }
}
