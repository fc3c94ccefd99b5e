package io.tensorlink.compute.backend;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/**
 * A fixed set of worker threads for one parallel phase at a time.
 *
 * <p>A training step is hundreds of sub-millisecond GEMMs, so hand-off latency dominates a
 * ForkJoin-style pool: workers spin ({@link Thread#onSpinWait}) for a short while after each
 * phase, then park. The calling thread runs part 0 itself. Parts must write disjoint outputs;
 * nothing here orders them, which is why determinism never depends on the thread count.
 *
 * <p>One phase runs at a time: {@link #run} is not reentrant and must be called from one thread
 * at a time (the owner of the {@link CpuBackend}).
 */
final class WorkerPool implements AutoCloseable {
  private static final long SPIN_NANOS = 200_000;

  private final Thread[] workers;
  private final AtomicInteger pending = new AtomicInteger();
  private volatile IntConsumer job;
  private volatile long generation;
  private volatile boolean closed;
  private volatile Throwable failure;

  WorkerPool(final int threads, final String namePrefix) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be >= 1, got " + threads);
    }
    workers = new Thread[threads - 1];
    for (int i = 0; i < workers.length; i++) {
      final int part = i + 1;
      workers[i] = Thread.ofPlatform().daemon().name(namePrefix + part).unstarted(() -> loop(part));
      workers[i].start();
    }
  }

  int parts() {
    return workers.length + 1;
  }

  /** Runs {@code body.accept(part)} for every part in {@code [0, parts())} and waits for all. */
  void run(final IntConsumer body) {
    if (closed) {
      throw new IllegalStateException("worker pool is closed");
    }
    if (workers.length == 0) {
      body.accept(0);
      return;
    }
    failure = null;
    job = body;
    pending.set(workers.length);
    generation++;
    for (final Thread w : workers) {
      LockSupport.unpark(w);
    }
    Throwable own = null;
    try {
      body.accept(0);
    } catch (final Throwable t) {
      own = t;
    }
    while (pending.get() != 0) {
      Thread.onSpinWait();
    }
    job = null;
    final Throwable t = own != null ? own : failure;
    if (t instanceof RuntimeException re) {
      throw re;
    }
    if (t instanceof Error e) {
      throw e;
    }
    if (t != null) {
      throw new IllegalStateException(t);
    }
  }

  private void loop(final int part) {
    long seen = 0;
    while (true) {
      final long start = System.nanoTime();
      while (generation == seen && !closed) {
        if (System.nanoTime() - start < SPIN_NANOS) {
          Thread.onSpinWait();
        } else {
          LockSupport.park(this);
        }
      }
      if (closed) {
        return;
      }
      seen = generation;
      try {
        job.accept(part);
      } catch (final Throwable t) {
        failure = t;
      } finally {
        pending.decrementAndGet();
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    for (final Thread w : workers) {
      LockSupport.unpark(w);
    }
    for (final Thread w : workers) {
      try {
        w.join();
      } catch (final InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
