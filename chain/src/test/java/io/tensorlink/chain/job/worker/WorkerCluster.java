package io.tensorlink.chain.job.worker;

import io.tensorlink.chain.job.tensor.PeerBindings;
import io.tensorlink.chain.job.tensor.TensorEndpoint;
import io.tensorlink.chain.pol.EthAddress;
import io.tensorlink.chain.pol.SignedStepRecord;
import io.tensorlink.chain.pol.TestKeys;
import io.tensorlink.chain.pol.work.JobContext;
import io.tensorlink.compute.backend.CpuBackend;
import io.tensorlink.compute.checkpoint.Checkpoint;
import io.tensorlink.p2p.host.Host;
import io.tensorlink.p2p.host.HostConfig;
import io.tensorlink.p2p.multiaddr.Multiaddr;
import io.tensorlink.p2p.transport.Hosts;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.web3j.crypto.Credentials;

/**
 * Every cell of a job as its own {@link WorkerRuntime} on its own libp2p host (real TCP on
 * loopback, Noise, yamux) in this JVM, each with a one-thread CPU backend.
 */
final class WorkerCluster implements AutoCloseable {
  final JobContext job;
  final List<Host> hosts = new ArrayList<>();
  final List<TensorEndpoint> endpoints = new ArrayList<>();
  final List<WorkerRuntime> workers = new ArrayList<>();
  PeerBindings bindings;
  final ConcurrentLinkedQueue<SignedStepRecord> published = new ConcurrentLinkedQueue<>();
  private final Map<Integer, RecordSink> forwards = new java.util.concurrent.ConcurrentHashMap<>();
  private final List<CpuBackend> backends = new ArrayList<>();
  private final ExecutorService threads = Executors.newCachedThreadPool();

  /** @param options per cell index (stage·R + replica) */
  WorkerCluster(final JobContext job, final IntFunction<WorkerOptions> options) {
    this(job, options, i -> Optional.empty());
  }

  /** @param from per cell index, the checkpoint it resumes from */
  WorkerCluster(final JobContext job, final IntFunction<WorkerOptions> options,
      final IntFunction<Optional<Checkpoint>> from) {
    this.job = job;
    try {
      start(options, from);
    } catch (RuntimeException e) {
      close(); // a refused worker must not leave hosts running
      throw e;
    }
  }

  private void start(final IntFunction<WorkerOptions> options, final IntFunction<Optional<Checkpoint>> from) {
    final Map<EthAddress, Multiaddr> addresses = new HashMap<>();
    final List<EthAddress> cells = job.assignment().workers();
    for (final EthAddress worker : cells) {
      final Host host = Hosts.create(HostConfig.loopback());
      hosts.add(host);
      host.start().orTimeout(30, TimeUnit.SECONDS).join();
      addresses.put(worker, host.listenAddresses().get(0).withPeerId(host.peerId()));
    }
    bindings = PeerBindings.of(addresses);
    for (int i = 0; i < cells.size(); i++) {
      final TensorEndpoint endpoint = new TensorEndpoint(hosts.get(i));
      endpoints.add(endpoint);
      final CpuBackend cpu = CpuBackend.withThreads(1);
      backends.add(cpu);
      final int cell = i;
      final RecordSink sink = r -> {
        published.add(r);
        final RecordSink also = forwards.get(cell);
        if (also != null) {
          also.publish(r);
        }
      };
      workers.add(new WorkerRuntime(job, key(cells.get(i)), cpu, endpoint, bindings, sink, options.apply(i),
          from.apply(i)));
    }
  }

  static Credentials key(final EthAddress worker) {
    return TestKeys.ANVIL.stream().filter(c -> EthAddress.of(c.getAddress()).equals(worker)).findFirst()
        .orElseThrow();
  }

  /** Runs every worker through {@code lastStep} on its own thread; rethrows the first failure. */
  void runThrough(final long lastStep) throws Exception {
    final List<Future<Long>> done = new ArrayList<>();
    for (final WorkerRuntime w : workers) {
      done.add(threads.submit(() -> w.runThrough(lastStep)));
    }
    for (final Future<Long> f : done) {
      f.get(120, TimeUnit.SECONDS);
    }
  }

  /** Also hands cell {@code index}'s records to {@code sink}. */
  void forward(final int index, final RecordSink sink) {
    forwards.put(index, sink);
  }

  /** The published records in step, stage, replica order. */
  List<SignedStepRecord> records() {
    return published.stream().sorted(Comparator.comparingLong((SignedStepRecord r) -> r.record().step())
        .thenComparingInt(r -> r.record().stage()).thenComparingInt(r -> r.record().replica())).toList();
  }

  WorkerRuntime worker(final int stage, final int replica) {
    return workers.get(stage * job.spec().replicas() + replica);
  }

  Host host(final int stage, final int replica) {
    return hosts.get(stage * job.spec().replicas() + replica);
  }

  TensorEndpoint endpoint(final int stage, final int replica) {
    return endpoints.get(stage * job.spec().replicas() + replica);
  }

  @Override
  public void close() {
    threads.shutdownNow();
    workers.forEach(WorkerRuntime::close);
    endpoints.forEach(TensorEndpoint::close);
    hosts.forEach(Host::close);
    backends.forEach(CpuBackend::close);
  }
}
