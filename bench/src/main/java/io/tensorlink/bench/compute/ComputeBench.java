package io.tensorlink.bench.compute;

import io.tensorlink.compute.backend.CpuBackend;
import io.tensorlink.compute.spec.ModelFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The Java side of bench/compute.sh. Prints one tab-separated line per measurement:
 * {@code gemm <label> <GFLOP/s>} or {@code train <model>, batch <B> <samples/s> <peak RSS MiB> <parameters> <> <samples per CPU-second>}; the script
 * joins them with the Python side's lines into the table.
 *
 * <p>Usage: {@code ComputeBench gemm [threads]} or {@code ComputeBench train <spec.json> <batch> [threads]}
 * (one model per JVM, so the peak resident memory is that model's).
 */
public final class ComputeBench {

  private static final double JIT_WARMUP_SECONDS = 1.0;
  private static final double WARMUP_SECONDS = 2.0;
  private static final int REPEATS = 7;
  private static final double ROUND_SECONDS = 0.3;

  private ComputeBench() {}

  public static void main(final String[] args) {
    final String what = args.length > 0 ? args[0] : "";
    switch (what) {
      case "gemm" -> gemm(args.length > 1 ? Integer.parseInt(args[1]) : 2);
      case "train" -> {
        if (args.length < 3) {
          throw new IllegalArgumentException("usage: ComputeBench train <spec.json> <batch> [threads]");
        }
        final var model = ModelFactory.load(Path.of(args[1]));
        final int batch = Integer.parseInt(args[2]);
        final TrainBench.Result r = TrainBench.run(model, batch, args.length > 3 ? Integer.parseInt(args[3]) : 2);
        System.out.printf(Locale.ROOT, "train\t%s, batch %d\t%.1f\t%.0f\t%d\t\t%.1f%n", model.name(), batch,
            r.samplesPerSecond(), r.peakResidentBytes() / 1048576.0, model.paramCount(), r.samplesPerCpuSecond());
      }
      default -> throw new IllegalArgumentException(
          "usage: ComputeBench gemm [threads] | ComputeBench train <spec.json> <batch> [threads]; got '" + what + "'");
    }
  }

  private static void gemm(final int threads) {
    try (CpuBackend cpu = CpuBackend.withThreads(threads)) {
      final SplittableRandom rnd = new SplittableRandom(1);
      final List<Runnable> products = new ArrayList<>();
      for (final GemmShape s : GemmShape.ALL) {
        final float[] a = random(rnd, s.m() * s.k());
        final float[] b = random(rnd, s.k() * s.n());
        final float[] c = new float[s.m() * s.n()];
        products.add(() -> cpu.gemm(s.transA(), s.transB(), s.m(), s.n(), s.k(), a, 0, b, 0, c, 0, false));
      }
      // Every kernel variant gets JIT-compiled before anything is timed, so the first row does
      // not pay for compilation that later rows get for free.
      for (final Runnable p : products) {
        Timing.measure(p, JIT_WARMUP_SECONDS, 1, 0.01);
      }
      for (int i = 0; i < products.size(); i++) {
        final GemmShape s = GemmShape.ALL.get(i);
        final double sec = Timing.measure(products.get(i), WARMUP_SECONDS, REPEATS, ROUND_SECONDS).wallSeconds();
        System.out.printf(Locale.ROOT, "gemm\t%s\t%.1f%n", s.label(), s.flops() / sec / 1e9);
      }
    }
  }

  static float[] random(final SplittableRandom rnd, final int n) {
    final float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = (float) rnd.nextDouble(-1, 1);
    }
    return x;
  }
}
