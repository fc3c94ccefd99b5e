package io.tensorlink.compute.backend;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/**
 * A fixed set of worker threads for one parallel phase at a time.
 *
 * <p>A training step is hundreds of sub-millisecond GEMMs, so hand-off latency dominates a
 * ForkJoin-style pool: workers spin ({@link Thread#onSpinWait}) for a short while after each
 * phase, then park. The caller works too. Chunks are claimed from a shared counter, so when a
 * worker is descheduled (an oversubscribed machine) the caller takes its chunk instead of
 * waiting for it. Chunks must write disjoint outputs; which thread runs a chunk never changes a
 * result, which is why determinism does not depend on the thread count.
 *
 * <p>{@link #run} is not reentrant and is called by one thread at a time (the owner of the
 * {@link CpuBackend}).
 */
final class WorkerPool implements AutoCloseable {
  /** A chunk of a phase, told which thread runs it (0 = the caller; its scratch is that thread's alone). */
  @FunctionalInterface
  interface Task {
    void run(int worker, int chunk);
  }

  private static final long SPIN_NANOS = 200_000;

  private final Thread[] workers;
  private volatile Phase phase;
  private volatile long generation;
  private volatile boolean closed;

  /** One call of {@link #run}: its chunks, the next unclaimed one and how many are finished. */
  private static final class Phase {
    final Task body;
    final int chunks;
    final AtomicInteger next = new AtomicInteger();
    final AtomicInteger done = new AtomicInteger();
    volatile Throwable failure;

    Phase(final Task body, final int chunks) {
      this.body = body;
      this.chunks = chunks;
    }

    void work(final int worker) {
      int c;
      while ((c = next.getAndIncrement()) < chunks) {
        try {
          body.run(worker, c);
        } catch (final Throwable t) {
          failure = t;
        } finally {
          done.incrementAndGet();
        }
      }
    }
  }

  WorkerPool(final int threads, final String namePrefix) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be >= 1, got " + threads);
    }
    workers = new Thread[threads - 1];
    for (int i = 0; i < workers.length; i++) {
      final int id = i + 1;
      workers[i] = Thread.ofPlatform().daemon().name(namePrefix + id).unstarted(() -> loop(id));
      workers[i].start();
    }
  }

  /** Start of part {@code part} when {@code count} items are split into {@code parts} near-equal ranges. */
  static int boundary(final int count, final int parts, final int part) {
    return (int) ((long) count * part / parts);
  }

  /** Threads that may run chunks, the caller included. */
  int parts() {
    return workers.length + 1;
  }

  /** Runs {@code body.accept(chunk)} for every chunk in {@code [0, chunks)} and waits for all. */
  void run(final int chunks, final IntConsumer body) {
    run(chunks, (worker, chunk) -> body.accept(chunk));
  }

  /**
   * Runs {@code task.run(worker, chunk)} for every chunk in {@code [0, chunks)} and waits for all;
   * there may be more chunks than threads, and each thread runs one chunk at a time.
   */
  void run(final int chunks, final Task task) {
    if (closed) {
      throw new IllegalStateException("worker pool is closed");
    }
    if (workers.length == 0 || chunks <= 1) {
      for (int c = 0; c < chunks; c++) {
        task.run(0, c);
      }
      return;
    }
    final Phase p = new Phase(task, chunks);
    phase = p;
    generation++;
    for (final Thread w : workers) {
      LockSupport.unpark(w);
    }
    p.work(0);
    // A chunk still running belongs to a worker; on an oversubscribed machine it may be waiting
    // for a CPU, so after a short spin give ours up rather than burn it.
    final long start = System.nanoTime();
    while (p.done.get() != chunks) {
      if (System.nanoTime() - start < SPIN_NANOS) {
        Thread.onSpinWait();
      } else {
        Thread.yield();
      }
    }
    phase = null;
    final Throwable t = p.failure;
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

  private void loop(final int id) {
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
      final Phase p = phase;
      if (p != null) {
        p.work(id);
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
