package io.tensorlink.cli.job;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JobWatchRateTest {
  @Test
  void etaFollowsThePaceSinceTheFirstUpdate() {
    final long[] now = {0};
    final JobWatchCommand.Rate rate = new JobWatchCommand.Rate(() -> now[0]);
    assertThat(rate.eta(10, 110)).isNull();
    now[0] = 5_000_000_000L;
    assertThat(rate.eta(10, 110)).as("no progress yet").isNull();
    now[0] = 10_000_000_000L; // 10 s after the first update, 20 steps more: 2 steps/s
    assertThat(rate.eta(30, 110)).isEqualTo(40);
    assertThat(rate.eta(110, 110)).isZero();
  }

  @Test
  void clockFormatsMinutesAndHours() {
    assertThat(JobWatchCommand.clock(75)).isEqualTo("1:15");
    assertThat(JobWatchCommand.clock(3_725)).isEqualTo("1:02:05");
  }
}
