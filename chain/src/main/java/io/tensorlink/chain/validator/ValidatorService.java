package io.tensorlink.chain.validator;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Drives a {@link Validator} for a standalone host: {@link Validator#start()}, then {@link Validator#tick()} every interval. */
public final class ValidatorService implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ValidatorService.class);

  private final Validator validator;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("validator-tick").daemon().factory());

  public ValidatorService(final Validator validator, final Duration interval) {
    if (interval.toMillis() <= 0) {
      throw new IllegalArgumentException("tick interval must be positive, got " + interval);
    }
    this.validator = validator;
    validator.start();
    timer.scheduleWithFixedDelay(this::tickSafely, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void tickSafely() {
    try {
      validator.tick();
    } catch (RuntimeException e) {
      // A failed RPC or store error must not kill the schedule: log and try again next tick.
      LOG.warn("validator {} tick failed: {}", validator.address(), e.toString());
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
    try {
      timer.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    validator.close();
  }
}
