package io.tensorlink.p2p.host;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Waiting in tests for what the hosts do on their own event loops. */
public final class Conditions {
  private Conditions() {}

  /** Polls {@code condition} every 10 ms and fails the test if it does not hold within 10 s. */
  public static void waitUntil(final BooleanSupplier condition) throws InterruptedException {
    final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within 10 s");
      }
      Thread.sleep(10);
    }
  }
}
