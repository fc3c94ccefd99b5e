package io.tensorlink.cli.job;

import io.tensorlink.cli.CliException;
import io.tensorlink.cli.ExitCodes;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import io.tensorlink.cli.support.Durations;
import java.util.OptionalLong;

/**
 * Parses {@code --deadline}: a duration from the chain's "now" ({@code 90m}, {@code 24h},
 * {@code 7d}, {@code 3600s}) or an ISO instant. It must lie in the future and at most
 * {@link #MAX_AHEAD} ahead: a deadline decades away locks the budget for good, which is never meant.
 */
final class Deadlines {
  static final Duration MAX_AHEAD = Duration.ofDays(3_650);

  private Deadlines() {}

  /** Unix seconds of the deadline; {@code now} is the latest block's timestamp. */
  static long parse(final String raw, final long now) {
    final long when = absolute(raw, now);
    if (when <= now) {
      throw usage(raw, "is not in the future (the chain's time is " + Instant.ofEpochSecond(now) + ")");
    }
    if (when - now > MAX_AHEAD.toSeconds()) {
      throw usage(raw, "is more than " + MAX_AHEAD.toDays() + " days ahead");
    }
    return when;
  }

  private static long absolute(final String raw, final long now) {
    final OptionalLong seconds = Durations.seconds(raw);
    if (seconds.isPresent()) {
      return now + seconds.getAsLong();
    }
    if (Durations.looksLikeOne(raw)) {
      throw usage(raw, "is more than " + MAX_AHEAD.toDays() + " days ahead");
    }
    try {
      return Instant.parse(raw.trim()).getEpochSecond();
    } catch (DateTimeParseException e) {
      throw usage(raw, "is neither a duration (90m, 24h, 7d, 3600s) nor an ISO instant (2027-01-31T12:00:00Z)");
    }
  }

  private static CliException usage(final String raw, final String why) {
    return new CliException("--deadline '" + raw + "' " + why, ExitCodes.USAGE);
  }
}
