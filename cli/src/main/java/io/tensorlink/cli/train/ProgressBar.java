package io.tensorlink.cli.train;

import io.tensorlink.compute.run.ProgressListener;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Renders training progress on one stderr line, redrawn with a carriage return at most every
 * {@link #MIN_INTERVAL_NANOS} and always on the last step:
 * {@code [=====>    ] step 120/468  loss 0.4312  2513 samples/s  ETA 0:14}.
 */
final class ProgressBar implements ProgressListener {

  static final long MIN_INTERVAL_NANOS = 200_000_000L;
  private static final int WIDTH = 24;

  private final PrintWriter err;
  private final LongSupplier clock;
  private long lastDraw = Long.MIN_VALUE;

  ProgressBar(final PrintWriter err) {
    this(err, System::nanoTime);
  }

  ProgressBar(final PrintWriter err, final LongSupplier clock) {
    this.err = err;
    this.clock = clock;
  }

  @Override
  public void onStep(final Progress p) {
    final long now = clock.getAsLong();
    final boolean last = p.step() == p.totalSteps();
    if (!last && lastDraw != Long.MIN_VALUE && now - lastDraw < MIN_INTERVAL_NANOS) {
      return;
    }
    lastDraw = now;
    err.print("\r" + render(p));
    if (last) {
      err.println();
    }
    err.flush();
  }

  static String render(final Progress p) {
    final int filled = p.totalSteps() == 0 ? WIDTH : (int) (WIDTH * p.step() / p.totalSteps());
    final StringBuilder bar = new StringBuilder("[");
    for (int i = 0; i < WIDTH; i++) {
      bar.append(i < filled ? '=' : i == filled ? '>' : ' ');
    }
    bar.append(']');
    return String.format(Locale.ROOT, "%s step %d/%d  loss %.4f  %.0f samples/s  ETA %s", bar, p.step(),
        p.totalSteps(), p.loss(), p.samplesPerSecond(), duration(p.etaNanos()));
  }

  static String duration(final long nanos) {
    final long s = Math.round(nanos / 1e9);
    return s >= 3600
        ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
        : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
  }
}
