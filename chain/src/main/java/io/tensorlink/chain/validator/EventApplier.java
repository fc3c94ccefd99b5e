package io.tensorlink.chain.validator;

import io.tensorlink.chain.follow.ChainEvent;
import io.tensorlink.chain.follow.ChainFollower;
import io.tensorlink.chain.pol.EthAddress;
import io.tensorlink.chain.store.BlockKey;
import io.tensorlink.chain.store.CheckpointKey;
import io.tensorlink.chain.store.DutyKey;
import io.tensorlink.chain.store.JobKey;
import io.tensorlink.chain.store.NodeStore;
import io.tensorlink.chain.store.RecordKey;
import io.tensorlink.chain.store.StoreBatch;
import io.tensorlink.chain.validator.dispute.ChallengeState;
import io.tensorlink.chain.validator.dispute.ChallengeTarget;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a window of chain events into the validator's job and block state (jobs learnt, assigned,
 * finished; blocks anchored), staged in the follower's batch so it commits with the cursor.
 */
final class EventApplier implements ChainFollower.Applier {
  private static final Logger LOG = LoggerFactory.getLogger(EventApplier.class);

  private final NodeStore store;
  private final String self;

  EventApplier(final NodeStore store, final String self) {
    this.store = store;
    this.self = self;
  }

  @Override
  public void apply(final List<ChainEvent> events, final StoreBatch batch) {
    // Several events of one window may touch the same job: work on a local view of it.
    final Map<BigInteger, JobState> jobs = new HashMap<>();
    final Map<BigInteger, Duty.Disputed> disputes = new HashMap<>();
    for (final ChainEvent event : events) {
      switch (event) {
        case ChainEvent.JobCreated e -> {
          if (load(jobs, e.jobId()).isEmpty()) {
            jobs.put(e.jobId(), JobState.created(e.jobId(), e.specHash()));
          }
        }
        case ChainEvent.JobAssigned e -> load(jobs, e.jobId()).ifPresentOrElse(
            j -> jobs.put(e.jobId(), j.assigned(e.assignmentHash(), e.workers())),
            () -> LOG.warn("assignment for job {} that was never created: ignored", e.jobId()));
        case ChainEvent.JobFinished e -> load(jobs, e.jobId()).ifPresent(j -> jobs.put(e.jobId(), j.finished()));
        case ChainEvent.BlockAnchored e -> load(jobs, e.jobId()).ifPresent(j -> anchored(jobs, batch, j, e));
        case ChainEvent.DisputeOpened e -> {
          final Duty.Disputed d = new Duty.Disputed(e.disputeId(), e.jobId(), e.worker(), e.step(), e.drawBlock());
          disputes.put(e.disputeId(), d);
          batch.putDuty(d.key(), d.encode());
        }
        case ChainEvent.CommitteeDrawn e -> drawn(disputes, batch, e);
        case ChainEvent.DataRequested e -> dataRequested(batch, e);
      }
    }
    jobs.forEach((id, job) -> batch.putJob(new JobKey(id), job.encode()));
  }

  private void anchored(final Map<BigInteger, JobState> jobs, final StoreBatch batch, final JobState job,
      final ChainEvent.BlockAnchored e) {
    if (e.index() != job.nextIndex()) {
      LOG.warn("job {} anchored block {} but this node expected block {}: following the chain", e.jobId(), e.index(), job.nextIndex());
    }
    jobs.put(e.jobId(), job.anchored(e.index(), e.stepTo(), e.blockHash()));
    final BlockKey key = new BlockKey(e.jobId(), e.index());
    // Keep the header bytes if this is the header this node signed.
    final byte[] header = store.block(key).map(BlockEntry::decode)
        .filter(b -> Arrays.equals(b.blockHash(), e.blockHash())).map(BlockEntry::header).orElse(new byte[0]);
    batch.putBlock(key, new BlockEntry(BlockEntry.Status.ANCHORED, e.blockHash(), e.stepFrom(), e.stepTo(), header).encode());
    challengeIfFraud(batch, key, e);
    // The anchored checkpoint: what a client or a standby worker restores from (design.md §8).
    batch.putCheckpoint(new CheckpointKey(e.jobId(), e.stepTo() - 1), e.checkpointRoot());
  }

  /** A committee was drawn: if this node sits on it, the dispute becomes a vote it owes. */
  private void drawn(final Map<BigInteger, Duty.Disputed> disputes, final StoreBatch batch, final ChainEvent.CommitteeDrawn e) {
    final DutyKey key = Duty.Disputed.keyFor(e.disputeId());
    final Optional<Duty.Disputed> opened = Optional.ofNullable(disputes.remove(e.disputeId()))
        .or(() -> store.duty(key).map(v -> (Duty.Disputed) Duty.decode(key, v)));
    if (opened.isEmpty()) {
      LOG.info("committee drawn for dispute {}, which this node does not wait for (never seen, or already over): ignored",
          e.disputeId());
      return;
    }
    batch.deleteDuty(key);
    if (e.committee().stream().map(EthAddress::lower).anyMatch(self::equals)) {
      final Duty vote = opened.get().toVote();
      batch.putDuty(vote.key(), vote.encode());
    }
  }

  /**
   * Fraud this node found in the block's records, anchored anyway: owe a challenge. Also when this
   * node signed the anchored header: it verified that header's sample, which did not hold the
   * record (it would have refused), so the court does not count it among the record's signers.
   */
  private void challengeIfFraud(final StoreBatch batch, final BlockKey key, final ChainEvent.BlockAnchored e) {
    final DutyKey noteKey = Duty.FraudFound.keyFor(key);
    final Optional<Duty.FraudFound> note = store.duty(noteKey).map(v -> (Duty.FraudFound) Duty.decode(noteKey, v));
    if (note.isEmpty()) {
      return;
    }
    batch.deleteDuty(noteKey);
    final long step = note.get().record().step();
    if (step >= e.stepFrom() && step < e.stepTo()) {
      final Duty challenge = new Duty.Challenge(ChallengeState.owed(
          new ChallengeTarget(key, e.blockHash(), e.blockNumber(), note.get().record())));
      batch.putDuty(challenge.key(), challenge.encode());
    }
  }

  /** A data request for a record this node holds: owe an answer (any holder may give it; the first one counts). */
  private void dataRequested(final StoreBatch batch, final ChainEvent.DataRequested e) {
    final RecordKey record = new RecordKey(e.jobId(), e.step(), e.stage(), e.replica());
    if (store.record(record).isEmpty()) {
      LOG.info("data request {} for {}: not held here", e.requestId(), record);
      return;
    }
    final Duty answer = new Duty.DataRequested(e.requestId(), new BlockKey(e.jobId(), e.blockIndex()), record);
    batch.putDuty(answer.key(), answer.encode());
  }

  private Optional<JobState> load(final Map<BigInteger, JobState> jobs, final BigInteger jobId) {
    final JobState cached = jobs.get(jobId);
    if (cached != null) {
      return Optional.of(cached);
    }
    return store.job(new JobKey(jobId)).map(JobState::decode);
  }
}
