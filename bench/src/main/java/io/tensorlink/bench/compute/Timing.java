package io.tensorlink.bench.compute;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;

/**
 * Fastest-of-repeats timing after a warm-up, the method bench/compute.sh uses on both sides
 * (bench/compute/timing.py): on a shared VM, interference only ever slows a round, by up to 2×
 * within seconds, so the fastest round is the closest estimate of undisturbed speed. Each round
 * also records the process's CPU time (all threads, JIT and GC included), which a crowded
 * machine disturbs far less than wall time.
 */
final class Timing {

  private Timing() {}

  /** Seconds per call of the fastest round: wall clock, and process CPU time (lowest round). */
  record PerCall(double wallSeconds, double cpuSeconds) {}

  /**
   * Runs {@code op} for {@code warmupSeconds}, then {@code repeats} timed rounds of enough calls
   * to last about {@code roundSeconds} each.
   */
  static PerCall measure(final Runnable op, final double warmupSeconds, final int repeats, final double roundSeconds) {
    final OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    final long warmEnd = System.nanoTime() + (long) (warmupSeconds * 1e9);
    long calls = 0;
    final long warmStart = System.nanoTime();
    while (System.nanoTime() < warmEnd || calls < 3) {
      op.run();
      calls++;
    }
    final double perCall = (System.nanoTime() - warmStart) / 1e9 / calls;
    final int perRound = (int) Math.max(1, Math.round(roundSeconds / perCall));
    double wall = Double.MAX_VALUE;
    double cpu = Double.MAX_VALUE;
    for (int r = 0; r < repeats; r++) {
      final long t0 = System.nanoTime();
      final long c0 = os.getProcessCpuTime();
      for (int i = 0; i < perRound; i++) {
        op.run();
      }
      wall = Math.min(wall, (System.nanoTime() - t0) / 1e9 / perRound);
      cpu = Math.min(cpu, (os.getProcessCpuTime() - c0) / 1e9 / perRound);
    }
    return new PerCall(wall, cpu);
  }
}
