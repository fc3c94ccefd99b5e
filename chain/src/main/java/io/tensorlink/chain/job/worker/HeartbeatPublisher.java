package io.tensorlink.chain.job.worker;

import io.tensorlink.p2p.pubsub.Gossipsub;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes a {@link Heartbeat} for one worker every {@code period}, on a timer rather than per
 * step, so a long step does not look like a dead worker.
 */
public final class HeartbeatPublisher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(HeartbeatPublisher.class);
  private final ScheduledFuture<?> task;

  public HeartbeatPublisher(final Gossipsub gossip, final ScheduledExecutorService timer, final Duration period,
      final Clock clock, final WorkerRuntime worker) {
    this(gossip, timer, period, worker.jobId(), () -> new Heartbeat(worker.jobId(), worker.stage(), worker.replica(),
        worker.nextStep(), clock.millis()));
  }

  /** Publishes whatever {@code beat} says, e.g. a standby's, which runs no cell yet. */
  public HeartbeatPublisher(final Gossipsub gossip, final ScheduledExecutorService timer, final Duration period,
      final BigInteger jobId, final Supplier<Heartbeat> beat) {
    final String topic = Heartbeat.topic(jobId);
    task = timer.scheduleAtFixedRate(() -> {
      final Heartbeat h = beat.get();
      gossip.publish(topic, h.encode()).whenComplete((r, e) -> {
        if (e != null) {
          LOG.debug("heartbeat on {} not published: {}", topic, e.getMessage());
        }
      });
    }, 0, period.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() {
    task.cancel(false);
  }
}
