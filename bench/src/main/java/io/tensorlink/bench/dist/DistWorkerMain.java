package io.tensorlink.bench.dist;

import io.tensorlink.chain.job.tensor.PeerBindings;
import io.tensorlink.chain.job.tensor.TensorEndpoint;
import io.tensorlink.chain.job.worker.WorkerOptions;
import io.tensorlink.chain.job.worker.WorkerRuntime;
import io.tensorlink.chain.pol.EthAddress;
import io.tensorlink.chain.pol.work.JobContext;
import io.tensorlink.compute.backend.CpuBackend;
import io.tensorlink.p2p.host.Host;
import io.tensorlink.p2p.host.HostConfig;
import io.tensorlink.p2p.multiaddr.Multiaddr;
import io.tensorlink.p2p.transport.Hosts;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One worker process of {@link DistEfficiencyBench}:
 * {@code <model> <stages> <replicas> <batch> <warmup> <steps> <micro-batches> <key index>}. Prints
 * {@code ADDR <multiaddr>}, reads {@code PEER <account> <multiaddr>} lines until {@code GO}, runs
 * the warm-up steps, then the timed ones on a one-thread backend, and prints
 * {@code TIME <wall ns> <protocol ns> <wait ns> <process cpu ns>} of the timed steps.
 */
public final class DistWorkerMain {
  private DistWorkerMain() {}

  public static void main(final String[] args) throws Exception {
    final int stages = Integer.parseInt(args[1]);
    final int replicas = Integer.parseInt(args[2]);
    final int batch = Integer.parseInt(args[3]);
    final int warmup = Integer.parseInt(args[4]);
    final int steps = Integer.parseInt(args[5]);
    final int micro = Integer.parseInt(args[6]);
    final int keyIndex = Integer.parseInt(args[7]);
    final JobContext job = DistJob.of(Path.of(args[0]), stages, replicas, batch, warmup + steps);
    final PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    try (Host host = Hosts.create(HostConfig.loopback()); CpuBackend cpu = CpuBackend.withThreads(1)) {
      host.start().orTimeout(30, TimeUnit.SECONDS).join();
      out.println("ADDR " + host.listenAddresses().get(0).withPeerId(host.peerId()));
      final Map<EthAddress, Multiaddr> peers = new HashMap<>();
      final BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      for (String line = in.readLine(); !"GO".equals(line); line = in.readLine()) {
        final String[] p = line.split(" ");
        peers.put(EthAddress.of(p[1]), Multiaddr.parse(p[2]));
      }
      try (TensorEndpoint endpoint = new TensorEndpoint(host);
          WorkerRuntime worker = new WorkerRuntime(job, DistJob.KEYS.get(keyIndex), cpu, endpoint,
              PeerBindings.of(peers), r -> { }, WorkerOptions.defaults().withMicroBatches(micro)
              .withFrameTimeout(Duration.ofMinutes(2)))) {
        worker.runThrough(warmup - 1);
        final WorkerRuntime.StepTimes before = worker.totalTimes();
        final long start = System.nanoTime();
        final long cpuStart = DistEfficiencyBench.processCpuNanos();
        worker.runThrough(warmup + steps - 1);
        final long cpuSpent = DistEfficiencyBench.processCpuNanos() - cpuStart;
        final long protocol = worker.totalTimes().protocolNanos() - before.protocolNanos();
        final long waiting = worker.totalTimes().waitNanos() - before.waitNanos();
        out.println("TIME " + (System.nanoTime() - start) + " " + protocol + " " + waiting + " " + cpuSpent);
      }
    }
    System.exit(0);
  }
}
