package io.tensorlink.chain.pol.verify;

import io.tensorlink.compute.backend.Backend;
import io.tensorlink.compute.backend.CpuBackend;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * The CPU budget for re-execution: at most {@code concurrent} records re-execute at a time, each on
 * its own {@link CpuBackend} of {@code threadsPerRecord} threads, so a validator never uses more
 * than {@code concurrent × threadsPerRecord} cores and a worker on the same machine keeps the rest.
 * Fetching inputs happens outside the budget (it waits on the network, not the CPU).
 */
public final class ReexecutionPool implements AutoCloseable {
  private final ExecutorService executor;
  private final BlockingQueue<CpuBackend> backends;
  private final List<CpuBackend> all = new ArrayList<>();

  public ReexecutionPool(final int concurrent, final int threadsPerRecord) {
    if (concurrent < 1 || threadsPerRecord < 1) {
      throw new IllegalArgumentException("re-execution needs >= 1 concurrent record and >= 1 thread, got "
          + concurrent + " x " + threadsPerRecord);
    }
    backends = new ArrayBlockingQueue<>(concurrent);
    for (int i = 0; i < concurrent; i++) {
      final CpuBackend b = new CpuBackend(new CpuBackend.Options(threadsPerRecord, true));
      all.add(b);
      backends.add(b);
    }
    executor = Executors.newFixedThreadPool(concurrent, r -> {
      final Thread t = new Thread(r, "pol-reexec");
      t.setDaemon(true);
      return t;
    });
  }

  /** Runs {@code work} on a free backend within the budget. */
  public <T> CompletableFuture<T> submit(final Function<Backend, T> work) {
    return CompletableFuture.supplyAsync(() -> {
      final CpuBackend b = backends.poll();
      if (b == null) {
        throw new IllegalStateException("no free backend: more tasks than pool threads");
      }
      try {
        return work.apply(b);
      } finally {
        backends.add(b);
      }
    }, executor);
  }

  @Override
  public void close() {
    executor.shutdownNow();
    all.forEach(CpuBackend::close);
  }
}
