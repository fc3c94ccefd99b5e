package io.tensorlink.cli.support;

import java.util.Locale;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations on the command line: {@code 90m}, {@code 24h}, {@code 7d}, {@code 3600s} or plain seconds. */
public final class Durations {
  /** At most 12 digits: times a day's seconds it still fits a long. */
  private static final Pattern DURATION = Pattern.compile("(\\d{1,12})([smhd]?)");

  private Durations() {}

  /** Seconds, or empty when {@code raw} is not a duration (or has more than 12 digits). */
  public static OptionalLong seconds(final String raw) {
    final Matcher m = DURATION.matcher(raw.trim().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      return OptionalLong.empty();
    }
    final long unit = switch (m.group(2)) {
      case "m" -> 60;
      case "h" -> 3_600;
      case "d" -> 86_400;
      default -> 1;
    };
    return OptionalLong.of(Long.parseLong(m.group(1)) * unit);
  }

  /** Whether {@code raw} looks like a duration whatever its size (to tell "too long" from "not a duration"). */
  public static boolean looksLikeOne(final String raw) {
    return raw.trim().toLowerCase(Locale.ROOT).matches("\\d+[smhd]?");
  }
}
