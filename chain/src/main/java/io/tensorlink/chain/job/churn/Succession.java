package io.tensorlink.chain.job.churn;

import io.tensorlink.chain.pol.Assignment;
import io.tensorlink.chain.pol.EthAddress;
import io.tensorlink.chain.pol.PolDomain;
import io.tensorlink.chain.pol.work.JobContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Who holds which cell of a job after takeovers: the assigned workers with each accepted
 * {@link Takeover}'s standby in its cell (the standby leaves the standby list). The rule every
 * honest node applies alike: a gone worker's cell goes to the first standby, in the assignment's
 * order, that is not gone; that standby's signed takeover is the only one accepted for the cell.
 * Immutable: {@link #apply} returns the next succession.
 *
 * @param current the effective assignment: same job, randomness and topology as the original
 */
public record Succession(Assignment current) {

  /** The standby that replaces a gone worker: the first in order not in {@code gone}. */
  public Optional<EthAddress> replacement(final Set<EthAddress> gone) {
    return current.standbys().stream().filter(s -> !gone.contains(s)).findFirst();
  }

  /**
   * Why {@code t} must be refused, or empty when it follows the rule.
   *
   * @param gone the accounts this node's heartbeats declared gone
   * @param resumeStep the first step after the last anchored block, as this node knows it
   */
  public Optional<String> refusal(final Takeover t, final Set<EthAddress> gone, final long resumeStep,
      final PolDomain domain) {
    if (!t.jobId().equals(current.jobId())) {
      return Optional.of("it is for job " + t.jobId() + ", not " + current.jobId());
    }
    if (!t.signedByStandby(domain)) {
      return Optional.of("it is not signed by the standby " + t.standby() + " it names");
    }
    if (!current.standbys().contains(t.standby())) {
      return Optional.of(t.standby() + " is not a standby of job " + t.jobId());
    }
    if (t.stage() >= current.stages() || t.replica() >= current.replicas()) {
      return Optional.of("cell (" + t.stage() + ", " + t.replica() + ") is not in the " + current.stages() + "x"
          + current.replicas() + " job");
    }
    final EthAddress holder = current.worker(t.stage(), t.replica());
    if (!holder.equals(t.replaced())) {
      return Optional.of("cell (" + t.stage() + ", " + t.replica() + ") is held by " + holder + ", not "
          + t.replaced());
    }
    if (!gone.contains(t.replaced())) {
      return Optional.of("worker " + t.replaced() + " is not declared gone here");
    }
    final Optional<EthAddress> first = replacement(gone);
    if (!first.equals(Optional.of(t.standby()))) {
      return Optional.of("the first live standby is " + first.map(EthAddress::toString).orElse("none") + ", not "
          + t.standby());
    }
    if (t.resumeStep() != resumeStep) {
      return Optional.of("it resumes at step " + t.resumeStep() + " but the last anchored block ends before step "
          + resumeStep);
    }
    return Optional.empty();
  }

  /** The succession with {@code t}'s standby in its cell (call after {@link #refusal} found none). */
  public Succession apply(final Takeover t) {
    final List<EthAddress> workers = new ArrayList<>(current.workers());
    workers.set(t.stage() * current.replicas() + t.replica(), t.standby());
    final List<EthAddress> standbys = new ArrayList<>(current.standbys());
    standbys.remove(t.standby());
    return new Succession(new Assignment(current.jobId(), current.randomness(), current.stages(), current.replicas(),
        workers, standbys));
  }

  /** {@code job} with the effective assignment: what runtimes that resume after a takeover run. */
  public JobContext rebind(final JobContext job) {
    return new JobContext(job.jobId(), job.spec(), job.model(), job.stages(), job.dataset(), job.data(), current,
        job.domain());
  }
}
