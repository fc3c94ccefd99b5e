package io.tensorlink.cli.train;

import io.tensorlink.cli.CliException;
import io.tensorlink.compute.checkpoint.Checkpoint;
import io.tensorlink.compute.checkpoint.CheckpointFile;
import io.tensorlink.compute.run.ProgressListener;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * The progress bar, plus checkpoints while training runs: every {@code every} steps to
 * {@code --out} ({@code --checkpoint-every}), and once more when ctrl-C arrives, after which the run
 * stops with {@link #INTERRUPTED}. While installed, SIGINT only asks for that; {@link #close}
 * restores the previous handler. Saves are atomic (CheckpointFile writes a temporary file and moves it).
 */
final class Checkpointing implements ProgressListener, AutoCloseable {
  /** Exit code of a run stopped by ctrl-C (128 + SIGINT), as shells report it. */
  static final int INTERRUPTED = 130;

  private final ProgressBar bar;
  private final PrintWriter err;
  private final Optional<Path> out;
  private final long every;
  private final AtomicBoolean interrupt = new AtomicBoolean();
  private final Signal sigint = new Signal("INT");
  private final SignalHandler previous;

  Checkpointing(final ProgressBar bar, final PrintWriter err, final Optional<Path> out, final long every) {
    this.bar = bar;
    this.err = err;
    this.out = out;
    this.every = every;
    this.previous = Signal.handle(sigint, s -> interrupt.set(true));
  }

  @Override
  public void onStep(final Progress progress) {
    bar.onStep(progress);
  }

  @Override
  public void afterStep(final Supplier<Checkpoint> live) {
    if (interrupt.get()) {
      final Checkpoint state = live.get();
      bar.finish();
      if (out.isEmpty()) {
        throw new CliException("interrupted at step " + state.step() + " (no --out, so nothing was saved)", INTERRUPTED);
      }
      CheckpointFile.save(state, out.get());
      throw new CliException("interrupted at step " + state.step() + "; checkpoint saved to " + out.get()
          + " (continue with --resume " + out.get() + ")", INTERRUPTED);
    }
    if (every > 0 && out.isPresent()) {
      final Checkpoint state = live.get();
      if (state.step() % every == 0) {
        CheckpointFile.save(state, out.get());
        bar.finish();
        err.println("checkpoint at step " + state.step() + ": " + out.get());
        err.flush();
      }
    }
  }

  @Override
  public void close() {
    Signal.handle(sigint, previous);
  }
}
