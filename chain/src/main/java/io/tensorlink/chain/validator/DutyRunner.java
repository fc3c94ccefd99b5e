package io.tensorlink.chain.validator;

import io.tensorlink.chain.store.DutyKey;
import io.tensorlink.chain.store.JobKey;
import io.tensorlink.chain.store.NodeStore;
import io.tensorlink.chain.store.RecordKey;
import io.tensorlink.chain.store.StoreBatch;
import io.tensorlink.chain.store.StoredEntry;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out the challenges and votes the store says are owed. A duty is deleted once done (or
 * once it cannot be done); one that fails (RPC error, revert) stays for the next run, also after a
 * restart. Called under the validator's lock.
 */
final class DutyRunner {
  private static final Logger LOG = LoggerFactory.getLogger(DutyRunner.class);

  private final NodeStore store;
  private final DisputeClient disputes;
  private final BlockVerifier verifier;
  private final RecordInspector inspector;
  private final String self;

  DutyRunner(final NodeStore store, final DisputeClient disputes, final BlockVerifier verifier, final RecordInspector inspector,
      final String self) {
    this.store = store;
    this.disputes = disputes;
    this.verifier = verifier;
    this.inspector = inspector;
    this.self = self;
  }

  void performAll() {
    for (final StoredEntry<DutyKey> e : store.duties()) {
      final Duty duty = Duty.decode(e.key(), e.value());
      try {
        final boolean finished = switch (duty) {
          case Duty.FraudFound f -> false; // waits for the block's anchoring (EventApplier)
          case Duty.Disputed d -> false; // waits for the committee draw (EventApplier)
          case Duty.Challenge c -> challenge(c);
          case Duty.Vote v -> vote(v);
        };
        if (finished) {
          store.commit(new StoreBatch().deleteDuty(e.key()));
        }
      } catch (RuntimeException ex) {
        LOG.warn("{}: {} failed, retrying next tick: {}", self, duty, ex.toString());
      }
    }
  }

  private boolean challenge(final Duty.Challenge c) {
    final Optional<byte[]> wire = store.record(c.record());
    if (wire.isEmpty()) {
      LOG.error("{}: block {} of job {} was anchored with fraud in {} but the record is gone: cannot challenge",
          self, c.block().index(), c.block().jobId(), c.record());
      return true;
    }
    LOG.warn("{}: challenging {} in anchored block {} of job {}", self, c.record(), c.block().index(), c.block().jobId());
    disputes.challenge(c.block(), c.blockHash(), c.record(), wire.get());
    return true;
  }

  private boolean vote(final Duty.Vote v) {
    final Optional<JobState> job = store.job(new JobKey(v.jobId())).map(JobState::decode);
    if (job.isEmpty()) {
      LOG.error("{}: drawn for dispute {} on unknown job {}: cannot vote", self, v.disputeId(), v.jobId());
      return true;
    }
    for (final StoredEntry<RecordKey> r : store.records(v.jobId(), v.step(), v.step() + 1)) {
      final InspectedRecord inspected;
      try {
        inspected = inspector.inspect(job.get(), r.value());
      } catch (MalformedMessageException ex) {
        continue;
      }
      if (inspected.worker().equals(Hex.normalize(v.worker()))) {
        final boolean fraud = verifier.isFraud(job.get(), r.key(), r.value());
        LOG.info("{}: votes {} on dispute {}", self, fraud ? "fraud" : "valid", v.disputeId());
        disputes.vote(v.disputeId(), fraud);
        return true;
      }
    }
    LOG.error("{}: drawn for dispute {} but holds no record of worker {} at step {}: not voting", self, v.disputeId(),
        v.worker(), v.step());
    return true;
  }
}
