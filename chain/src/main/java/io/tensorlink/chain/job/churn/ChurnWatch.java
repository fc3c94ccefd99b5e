package io.tensorlink.chain.job.churn;

import io.tensorlink.chain.job.tensor.PeerBindings;
import io.tensorlink.chain.job.worker.Heartbeat;
import io.tensorlink.chain.pol.Assignment;
import io.tensorlink.chain.pol.EthAddress;
import io.tensorlink.chain.pol.PolDomain;
import io.tensorlink.p2p.pubsub.Gossipsub;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.stream.Stream;
import org.web3j.crypto.Credentials;

/**
 * One node's churn watch over one job (docs/jobs-worker.md §5): a {@link HeartbeatMonitor} over the
 * assignment's workers and standbys but the node's own account, and the {@link TakeoverGate} that
 * turns a gone worker into its standby's signed takeover. Every node of a job runs one: workers
 * and standbys (with their key, so the standby the rule picks announces its takeover), validators
 * (without, so that they know which worker signs a cell's records from which step).
 */
public final class ChurnWatch implements AutoCloseable {
  /**
   * @param period the workers' heartbeat period
   * @param missed how many periods of silence make a worker gone
   */
  public record Timing(Duration period, int missed) {
    public Timing {
      Objects.requireNonNull(period, "period");
      if (period.isNegative() || period.isZero()) {
        throw new IllegalArgumentException("the heartbeat period must be positive, got " + period);
      }
    }
  }

  private final HeartbeatMonitor monitor;
  private final TakeoverGate gate;

  /**
   * @param bindings who speaks for which account: a live view, since a standby's node may announce
   *     its binding after the assignment
   * @param self this node's key when it is a worker or standby of the job
   * @param selfAccount this node's account (not watched: gossip does not deliver its own heartbeats)
   */
  public ChurnWatch(final Gossipsub gossip, final ScheduledExecutorService timer, final Assignment assignment,
      final PeerBindings bindings, final AnchoredSteps anchored, final PolDomain domain,
      final Optional<Credentials> self, final EthAddress selfAccount, final Timing timing, final Clock clock) {
    final List<EthAddress> watched = Stream.concat(assignment.workers().stream(), assignment.standbys().stream())
        .filter(a -> !a.equals(selfAccount)).distinct().toList();
    monitor = new HeartbeatMonitor(gossip, timer, assignment.jobId(), watched, bindings, timing.period(),
        timing.missed(), clock);
    try {
      gate = new TakeoverGate(gossip, monitor, new Succession(assignment), anchored, domain, self);
    } catch (RuntimeException e) {
      monitor.close();
      throw e;
    }
  }

  public TakeoverGate gate() {
    return gate;
  }

  public HeartbeatMonitor monitor() {
    return monitor;
  }

  /** The effective assignment: the original with every accepted takeover's standby in its cell. */
  public Assignment current() {
    return gate.succession().current();
  }

  /**
   * Takes {@code worker} out of the job for a reason other than silence (a slashed worker, say):
   * its cell goes to the first live standby exactly as on missed heartbeats. Each node decides
   * this for itself (a standby's takeover is accepted only where the worker is gone), so every
   * node that sees the reason must call it.
   *
   * @return false when {@code worker} is not watched here or already gone
   */
  public boolean replace(final EthAddress worker, final String reason) {
    return monitor.declareGone(worker, reason);
  }

  /**
   * Whether every other cell of {@code assignment} has beaten, since {@code sinceMillis}, from the
   * runtime that resumes at {@code resumeStep}: its node then runs that runtime, whose inbox keeps
   * the frames sent to it (a frame for a job a node does not run yet is refused).
   */
  public boolean resumedEverywhere(final Assignment assignment, final EthAddress selfAccount, final long resumeStep,
      final long sinceMillis) {
    for (int s = 0; s < assignment.stages(); s++) {
      for (int r = 0; r < assignment.replicas(); r++) {
        final EthAddress w = assignment.worker(s, r);
        if (w.equals(selfAccount)) {
          continue;
        }
        final int stage = s;
        final int replica = r;
        final boolean beaten = monitor.latest(w).filter(seen -> seen.receivedAtMillis() >= sinceMillis)
            .map(HeartbeatMonitor.Seen::heartbeat)
            .filter(h -> h.stage() == stage && h.replica() == replica && h.nextStep() == resumeStep).isPresent();
        if (!beaten) {
          return false;
        }
      }
    }
    return true;
  }

  /** The heartbeat of a node of the job that trains no cell yet (stage = the job's stage count): alive. */
  public static Heartbeat idleBeat(final Assignment assignment, final long nowMillis) {
    return new Heartbeat(assignment.jobId(), assignment.stages(), 0, 0, nowMillis);
  }

  @Override
  public void close() {
    gate.close();
    monitor.close();
  }
}
