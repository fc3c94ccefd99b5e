package io.tensorlink.bench.dist;

import io.tensorlink.chain.pol.EthAddress;
import io.tensorlink.chain.pol.work.JobContext;
import io.tensorlink.compute.backend.CpuBackend;
import io.tensorlink.compute.data.Batch;
import io.tensorlink.compute.tensor.NamedTensors;
import io.tensorlink.compute.train.HyperParams;
import io.tensorlink.compute.train.TrainingStep;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The distributed-efficiency targets of issue 11 on this machine, CPU-normalised (two cores either
 * way): samples/s of the job as two worker processes with one thread each, talking
 * {@code /tl/tensor/1.0.0} over loopback libp2p ({@code WorkerRuntime}: records, hashes and
 * signatures included), against one process training the same global batch with a two-thread
 * backend ({@code TrainingStep}, no protocol). Rows: 2 data-parallel replicas (target ≥ 0.85×),
 * 2 pipeline stages with micro-batches (target ≥ 0.75×). The protocol column is the workers'
 * share of step time spent on roots, archive copies and signatures; the waiting column their share
 * spent waiting for a neighbour's frames (pipeline bubbles, transfers, the slower peer). The cpu
 * ratio is the baseline's process CPU over the workers' summed process CPU for the same samples:
 * the efficiency with idle time left out, which other load on a shared machine changes little
 * (the wall-clock ratio is the target's measure; run it on an idle machine).
 *
 * <p>Usage: {@code DistEfficiencyBench <model> <global batch> <warmup> <steps> <micro-batches>}.
 */
public final class DistEfficiencyBench {
  private DistEfficiencyBench() {}

  private record Row(String name, double baseline, double distributed, double protocolShare, double waitShare,
      double cpuRatio, double target) {}

  /** Wall-clock samples/s and the process CPU the timed steps took. */
  private record Measured(double samplesPerSecond, long cpuNanos) {}

  /** CPU time of this whole process (all its threads). */
  static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
        .getOperatingSystemMXBean()).getProcessCpuTime();
  }

  public static void main(final String[] args) throws Exception {
    final Path model = Path.of(args[0]);
    final int global = Integer.parseInt(args[1]);
    final int warmup = Integer.parseInt(args[2]);
    final int steps = Integer.parseInt(args[3]);
    final int micro = Integer.parseInt(args[4]);
    final List<Row> rows = new ArrayList<>();
    rows.add(row("2 replicas, batch " + global / 2 + "/replica", model, 1, 2, global / 2, warmup, steps, 1, 0.85));
    rows.add(row("2 stages, " + micro + " micro-batches", model, 2, 1, global, warmup, steps, micro, 0.75));
    System.out.printf(Locale.ROOT, "%-32s %16s %16s %7s %8s %9s %9s %9s%n", "config (global batch " + global + ")",
        "1 proc x 2 thr", "2 proc x 1 thr", "ratio", "target", "protocol", "waiting", "cpu ratio");
    for (final Row r : rows) {
      final double ratio = r.distributed() / r.baseline();
      System.out.printf(Locale.ROOT, "%-32s %12.1f s/s %12.1f s/s %7.3f %8s %8.1f%% %8.1f%% %9.3f  %s%n", r.name(),
          r.baseline(), r.distributed(), ratio, ">= " + r.target(), 100 * r.protocolShare(), 100 * r.waitShare(),
          r.cpuRatio(), ratio >= r.target() ? "met" : "MISSED");
    }
  }

  private static Row row(final String name, final Path model, final int stages, final int replicas, final int batch,
      final int warmup, final int steps, final int micro, final double target) throws Exception {
    final JobContext job = DistJob.of(model, stages, replicas, batch, warmup + steps);
    final Measured baseline = baseline(job, warmup, steps);
    final double[] dist = distributed(model, job, stages, replicas, batch, warmup, steps, micro);
    return new Row(name, baseline.samplesPerSecond(), dist[0], dist[1], dist[2], baseline.cpuNanos() / dist[3],
        target);
  }

  /** One process, the whole model, two threads, the same global batches and shards. */
  private static Measured baseline(final JobContext job, final int warmup, final int steps) {
    try (CpuBackend cpu = CpuBackend.withThreads(2)) {
      final NamedTensors params = job.initialParams();
      final NamedTensors state = job.spec().hyperParams().optimizer().initState(params);
      final HyperParams hp = job.spec().hyperParams();
      final TrainingStep step = new TrainingStep(job.model(), cpu);
      long start = 0;
      long cpuAtStart = 0;
      for (int t = 0; t < warmup + steps; t++) {
        if (t == warmup) {
          start = System.nanoTime();
          cpuAtStart = processCpuNanos();
        }
        step.applyInPlace(params, state, globalBatch(job, t), hp, t);
      }
      return new Measured((double) job.spec().globalBatch() * steps / ((System.nanoTime() - start) / 1e9),
          processCpuNanos() - cpuAtStart);
    }
  }

  private static Batch globalBatch(final JobContext job, final long t) {
    final int[] all = new int[job.spec().globalBatch()];
    for (int r = 0; r < job.spec().replicas(); r++) {
      final int[] idx = job.spec().batchPlan().indicesAtGlobalStep(t, r);
      System.arraycopy(idx, 0, all, r * idx.length, idx.length);
    }
    return job.dataset().batch(all);
  }

  /** Two worker JVMs; samples/s over the slower one's timed steps, and the protocol share. */
  private static double[] distributed(final Path model, final JobContext job, final int stages, final int replicas,
      final int batch, final int warmup, final int steps, final int micro) throws IOException, InterruptedException {
    final List<EthAddress> workers = job.assignment().workers();
    final List<Process> children = new ArrayList<>();
    try {
      final List<BufferedReader> outs = new ArrayList<>();
      for (final EthAddress w : workers) {
        final int key = DistJob.KEYS.stream().map(c -> EthAddress.of(c.getAddress())).toList().indexOf(w);
        final Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "--add-modules", "jdk.incubator.vector", "-cp", System.getProperty("java.class.path"),
            DistWorkerMain.class.getName(), model.toString(), Integer.toString(stages), Integer.toString(replicas),
            Integer.toString(batch), Integer.toString(warmup), Integer.toString(steps), Integer.toString(micro),
            Integer.toString(key)).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        children.add(p);
        outs.add(new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)));
      }
      final List<String> addresses = new ArrayList<>();
      for (final BufferedReader r : outs) {
        addresses.add(field(r, "ADDR")[1]);
      }
      for (final Process p : children) {
        final PrintStream in = new PrintStream(p.getOutputStream(), true, StandardCharsets.UTF_8);
        for (int i = 0; i < workers.size(); i++) {
          in.println("PEER " + workers.get(i) + " " + addresses.get(i));
        }
        in.println("GO");
      }
      long slowest = 0;
      double protocol = 0;
      double waiting = 0;
      long cpu = 0;
      for (final BufferedReader r : outs) {
        final String[] t = field(r, "TIME");
        final long wall = Long.parseLong(t[1]);
        slowest = Math.max(slowest, wall);
        protocol += (double) Long.parseLong(t[2]) / wall / workers.size();
        waiting += (double) Long.parseLong(t[3]) / wall / workers.size();
        cpu += Long.parseLong(t[4]);
      }
      return new double[] {(double) job.spec().globalBatch() * steps / (slowest / 1e9), protocol, waiting, cpu};
    } finally {
      children.forEach(Process::destroy);
    }
  }

  private static String[] field(final BufferedReader r, final String tag) throws IOException {
    for (String line = r.readLine(); line != null; line = r.readLine()) {
      if (line.startsWith(tag + " ")) {
        return line.split(" ");
      }
    }
    throw new IOException("a worker process ended without a " + tag + " line");
  }
}
