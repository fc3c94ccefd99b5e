package io.tensorlink.cli.job;

import io.tensorlink.cli.CliException;
import io.tensorlink.cli.ExitCodes;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses {@code --deadline}: a duration from the chain's "now" ({@code 90m}, {@code 24h}, {@code 7d}, {@code 3600s}) or an ISO instant. */
final class Deadlines {
  private static final Pattern DURATION = Pattern.compile("(\\d+)([smhd]?)");

  private Deadlines() {}

  /** Unix seconds of the deadline; {@code now} is the latest block's timestamp. */
  static long parse(final String raw, final long now) {
    final String text = raw.trim().toLowerCase(Locale.ROOT);
    final Matcher m = DURATION.matcher(text);
    if (m.matches()) {
      final long n = Long.parseLong(m.group(1));
      final long unit = switch (m.group(2)) {
        case "m" -> 60;
        case "h" -> 3_600;
        case "d" -> 86_400;
        default -> 1;
      };
      return Math.addExact(now, Math.multiplyExact(n, unit));
    }
    try {
      return Instant.parse(raw.trim()).getEpochSecond();
    } catch (DateTimeParseException e) {
      throw new CliException("--deadline '" + raw + "' is neither a duration (90m, 24h, 7d, 3600s) nor an ISO instant", ExitCodes.USAGE);
    }
  }
}
