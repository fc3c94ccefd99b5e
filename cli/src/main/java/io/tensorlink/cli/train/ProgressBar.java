package io.tensorlink.cli.train;

import io.tensorlink.compute.run.ProgressListener;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Training progress on stderr. On a terminal: one line redrawn with a carriage return at most every
 * {@link #MIN_INTERVAL_NANOS} and always on the last step,
 * {@code [=====>    ] step 120/468  loss 0.4312  2513 samples/s  ETA 0:14}. Elsewhere (a pipe, a
 * log file): no carriage returns, a plain line at most every {@link #PLAIN_INTERVAL_NANOS}, on the
 * first and on the last step. {@link #finish} ends a half-drawn line, so an error or the summary
 * never lands on the bar's line.
 */
final class ProgressBar implements ProgressListener {

  static final long MIN_INTERVAL_NANOS = 200_000_000L;
  static final long PLAIN_INTERVAL_NANOS = 5_000_000_000L;
  private static final int WIDTH = 24;

  private final PrintWriter err;
  private final LongSupplier clock;
  private final boolean terminal;
  private long lastDraw = Long.MIN_VALUE;
  private boolean lineOpen;

  ProgressBar(final PrintWriter err, final boolean terminal) {
    this(err, terminal, System::nanoTime);
  }

  ProgressBar(final PrintWriter err, final boolean terminal, final LongSupplier clock) {
    this.err = err;
    this.terminal = terminal;
    this.clock = clock;
  }

  @Override
  public void onStep(final Progress p) {
    final long now = clock.getAsLong();
    final boolean last = p.step() == p.totalSteps();
    final long interval = terminal ? MIN_INTERVAL_NANOS : PLAIN_INTERVAL_NANOS;
    if (!last && lastDraw != Long.MIN_VALUE && now - lastDraw < interval) {
      return;
    }
    lastDraw = now;
    if (terminal) {
      err.print("\r" + render(p));
      lineOpen = true;
      if (last) {
        finish();
      }
    } else {
      err.println(plain(p));
    }
    err.flush();
  }

  /** Ends the bar's line if it is open; harmless to call twice. */
  void finish() {
    if (lineOpen) {
      err.println();
      err.flush();
      lineOpen = false;
    }
  }

  static String render(final Progress p) {
    final int filled = p.totalSteps() == 0 ? WIDTH : (int) (WIDTH * p.step() / p.totalSteps());
    final StringBuilder bar = new StringBuilder("[");
    for (int i = 0; i < WIDTH; i++) {
      bar.append(i < filled ? '=' : i == filled ? '>' : ' ');
    }
    bar.append(']');
    return bar + " " + plain(p);
  }

  static String plain(final Progress p) {
    return String.format(Locale.ROOT, "step %d/%d  loss %.4f  %.0f samples/s  ETA %s", p.step(),
        p.totalSteps(), p.loss(), p.samplesPerSecond(), duration(p.etaNanos()));
  }

  static String duration(final long nanos) {
    final long s = Math.round(nanos / 1e9);
    return s >= 3600
        ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
        : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
  }
}
