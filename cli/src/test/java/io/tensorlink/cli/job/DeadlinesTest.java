package io.tensorlink.cli.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tensorlink.cli.CliException;
import io.tensorlink.cli.ExitCodes;
import org.junit.jupiter.api.Test;

class DeadlinesTest {
  private static final long NOW = 1_800_000_000L;

  @Test
  void durationsCountFromTheChainsNow() {
    assertThat(Deadlines.parse("90m", NOW)).isEqualTo(NOW + 5_400);
    assertThat(Deadlines.parse("24h", NOW)).isEqualTo(NOW + 86_400);
    assertThat(Deadlines.parse("7D", NOW)).isEqualTo(NOW + 604_800);
    assertThat(Deadlines.parse("3600", NOW)).isEqualTo(NOW + 3_600);
    assertThat(Deadlines.parse("2027-01-16T08:00:00Z", NOW)).isEqualTo(NOW + 86_400);
  }

  @Test
  void outOfRangeDeadlinesAreUsageErrorsNamingTheFlag() {
    assertUsage("99999999999999999999d", "--deadline '99999999999999999999d' is more than 3650 days ahead");
    assertUsage("3651d", "is more than 3650 days ahead");
    assertUsage("0s", "is not in the future");
    assertUsage("2020-01-01T00:00:00Z", "is not in the future (the chain's time is 2027-01-15T08:00:00Z)");
    assertUsage("tomorrow", "is neither a duration");
    assertUsage("-5h", "is neither a duration");
  }

  private static void assertUsage(final String raw, final String message) {
    assertThatThrownBy(() -> Deadlines.parse(raw, NOW))
        .isInstanceOf(CliException.class)
        .hasMessageContaining(message)
        .satisfies(e -> assertThat(((CliException) e).exitCode()).isEqualTo(ExitCodes.USAGE));
  }
}
