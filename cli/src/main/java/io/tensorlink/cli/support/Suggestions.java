package io.tensorlink.cli.support;

import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import picocli.CommandLine;

/** "did you mean …" for a mistyped command or option: the closest names by edit distance. */
public final class Suggestions {
  private static final int MAX_DISTANCE = 2;

  private Suggestions() {}

  /** {@code "; did you mean 'x'?"}, or an empty string when nothing is close. */
  public static String didYouMean(final String typed, final CommandLine where) {
    final List<String> names = closest(typed, Stream.concat(
        where.getSubcommands().keySet().stream(),
        where.getCommandSpec().options().stream().filter(o -> !o.hidden()).flatMap(o -> Stream.of(o.names()))).toList());
    return names.isEmpty() ? "" : "; did you mean " + String.join(" or ", names.stream().map(n -> "'" + n + "'").toList()) + "?";
  }

  static List<String> closest(final String typed, final List<String> candidates) {
    final String bare = typed.contains("=") && typed.startsWith("-") ? typed.substring(0, typed.indexOf('=')) : typed;
    return candidates.stream().distinct()
        .filter(c -> distance(bare, c) <= Math.min(MAX_DISTANCE, Math.max(1, bare.length() / 3)) || c.startsWith(bare) && bare.length() >= 3)
        .sorted(Comparator.comparingInt((String c) -> distance(bare, c)).thenComparing(Comparator.naturalOrder()))
        .limit(3).toList();
  }

  /** Levenshtein distance. */
  static int distance(final String a, final String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        final int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        cur[j] = Math.min(sub, Math.min(prev[j], cur[j - 1]) + 1);
      }
      final int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
