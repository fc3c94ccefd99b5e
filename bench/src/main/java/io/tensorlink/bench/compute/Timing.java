package io.tensorlink.bench.compute;

import java.util.Arrays;

/**
 * Fastest-of-repeats timing after a warm-up, the method bench/compute.sh uses on both sides
 * (bench/compute/timing.py): on a shared VM, interference only ever slows a round, by up to 2×
 * within seconds, so the fastest round is the closest estimate of undisturbed speed.
 */
final class Timing {

  private Timing() {}

  /**
   * Runs {@code op} for {@code warmupSeconds}, then {@code repeats} timed rounds of enough calls
   * to last about {@code roundSeconds} each; returns the fastest round's seconds per call.
   */
  static double fastestSecondsPerCall(final Runnable op, final double warmupSeconds, final int repeats,
      final double roundSeconds) {
    final long warmEnd = System.nanoTime() + (long) (warmupSeconds * 1e9);
    long calls = 0;
    final long warmStart = System.nanoTime();
    while (System.nanoTime() < warmEnd || calls < 3) {
      op.run();
      calls++;
    }
    final double perCall = (System.nanoTime() - warmStart) / 1e9 / calls;
    final int perRound = (int) Math.max(1, Math.round(roundSeconds / perCall));
    final double[] rounds = new double[repeats];
    for (int r = 0; r < repeats; r++) {
      final long t0 = System.nanoTime();
      for (int i = 0; i < perRound; i++) {
        op.run();
      }
      rounds[r] = (System.nanoTime() - t0) / 1e9 / perRound;
    }
    return Arrays.stream(rounds).min().orElseThrow();
  }
}
