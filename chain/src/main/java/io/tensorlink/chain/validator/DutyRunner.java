package io.tensorlink.chain.validator;

import io.tensorlink.chain.pol.EthAddress;
import io.tensorlink.chain.store.DutyKey;
import io.tensorlink.chain.store.JobKey;
import io.tensorlink.chain.store.NodeStore;
import io.tensorlink.chain.store.RecordKey;
import io.tensorlink.chain.store.StoreBatch;
import io.tensorlink.chain.store.StoredEntry;
import io.tensorlink.chain.validator.dispute.Challenger;
import io.tensorlink.chain.validator.dispute.ChallengeState;
import io.tensorlink.chain.validator.dispute.CourtRejectedException;
import io.tensorlink.chain.validator.dispute.DataAnswerer;
import io.tensorlink.chain.validator.dispute.DisputeStatus;
import io.tensorlink.chain.validator.dispute.DisputeView;
import java.security.SecureRandom;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out the work the store says is owed to the court: challenges (phase by phase, each
 * phase stored before the next transaction, {@link Challenger}), committee votes and answers to
 * data requests. A duty is deleted once done or given up (with the reason logged at ERROR); one
 * that fails on the transport stays for the next run, also after a restart. Called under the
 * validator's lock.
 */
final class DutyRunner {
  private static final Logger LOG = LoggerFactory.getLogger(DutyRunner.class);
  /**
   * Blocks past a dispute's draw block that its challenger has to draw the committee before a
   * validator waiting for the draw does it (anyone may): the draw no longer depends on the
   * challenger staying online.
   */
  static final long DRAW_GRACE = 8;

  private final NodeStore store;
  private final DisputeClient disputes;
  private final BlockVerifier verifier;
  private final RecordInspector inspector;
  private final String self;
  private final Challenger challenger;
  private final DataAnswerer answerer;
  private final ValidatorListener listener;

  DutyRunner(final NodeStore store, final DisputeClient disputes, final BlockVerifier verifier, final RecordInspector inspector,
      final String self, final ValidatorListener listener) {
    this.store = store;
    this.disputes = disputes;
    this.verifier = verifier;
    this.inspector = inspector;
    this.self = self;
    this.listener = listener;
    final StoreBlockRecords records = new StoreBlockRecords(store, inspector);
    this.challenger = new Challenger(disputes, records, new SecureRandom());
    this.answerer = new DataAnswerer(disputes, records);
  }

  void performAll() {
    final ChainHead head = new ChainHead();
    for (final StoredEntry<DutyKey> e : store.duties()) {
      final Duty duty;
      try {
        duty = Duty.decode(e.key(), e.value());
      } catch (MalformedMessageException ex) {
        LOG.error("{}: dropping an unreadable duty {}: {}", self, e.key(), ex.getMessage());
        store.commit(new StoreBatch().deleteDuty(e.key()));
        continue;
      }
      try {
        final boolean finished = switch (duty) {
          case Duty.FraudFound f -> false; // waits for the block's anchoring (EventApplier)
          case Duty.Disputed d -> awaitDraw(d, head); // the draw turns it into a vote or drops it (EventApplier)
          case Duty.Challenge c -> challenge(c.state());
          case Duty.Vote v -> vote(v);
          case Duty.DataRequested d -> answerer.answer(d.requestId(), d.block(), d.record());
        };
        if (finished) {
          store.commit(new StoreBatch().deleteDuty(e.key()));
        }
      } catch (RuntimeException ex) {
        LOG.warn("{}: {} failed, retrying next tick: {}", self, duty, ex.toString());
      }
    }
  }

  /** Advances a challenge while it makes progress, storing each new phase before the next call sends anything. */
  private boolean challenge(final ChallengeState start) {
    if (start.phase() == ChallengeState.Phase.OWED && !stillFraud(start.target().record())) {
      LOG.warn("{}: not challenging {}: re-executed now, it agrees with its record (its inputs were unavailable before)",
          self, start.target().record());
      return true;
    }
    ChallengeState state = start;
    while (true) {
      switch (challenger.advance(state)) {
        case Challenger.Step.Wait w -> {
          return false;
        }
        case Challenger.Step.Done d -> {
          if (d.abandoned()) {
            LOG.error("{}: gives up the {}: {}", self, state, d.outcome());
          } else {
            LOG.warn("{}: {}: {}", self, state, d.outcome());
          }
          return true;
        }
        case Challenger.Step.Next n -> {
          final Duty next = new Duty.Challenge(n.state());
          store.commit(new StoreBatch().putDuty(next.key(), next.encode()));
          if (n.state().phase() == ChallengeState.Phase.FOLLOWING && state.phase() == ChallengeState.Phase.REVEALING) {
            listener.disputeOpened();
          }
          if (n.state().phase() == state.phase()) {
            return false; // a counted refusal: retry on the next tick, not in a loop
          }
          state = n.state();
        }
      }
    }
  }

  /**
   * A dispute whose committee is not drawn yet: once the challenger had {@link #DRAW_GRACE} blocks to
   * draw it, draw it (or, if the draw expired, resolve it so the worker's block is not held forever);
   * done when the dispute is over.
   */
  private boolean awaitDraw(final Duty.Disputed d, final ChainHead head) {
    if (d.drawBlock() == 0 || head.get() < d.drawBlock() + DRAW_GRACE) {
      return false;
    }
    final DisputeView dispute = disputes.dispute(d.disputeId());
    if (dispute.status().resolved()) {
      return true;
    }
    try {
      if (dispute.drawable()) {
        LOG.info("{}: dispute {} is not drawn {} blocks after its draw block: drawing its committee", self, d.disputeId(),
            DRAW_GRACE);
        disputes.draw(d.disputeId());
      } else if (dispute.drawExpired()) {
        LOG.info("{}: dispute {} was never drawn: resolving it (Expired)", self, d.disputeId());
        disputes.resolve(d.disputeId());
        return true;
      }
    } catch (CourtRejectedException ex) {
      LOG.info("{}: dispute {}: {}", self, d.disputeId(), ex.getMessage()); // someone else drew or resolved it first
    }
    return false;
  }

  /**
   * Whether the noted record still fails re-execution before a bond is put on it: a fraud note can
   * come from inputs the worker did not serve in time (the verdict cache keeps no such verdict, so
   * this fetches them again); a record this node no longer holds is left to the challenge itself.
   */
  private boolean stillFraud(final RecordKey record) {
    final Optional<JobState> job = store.job(new JobKey(record.jobId())).map(JobState::decode);
    final Optional<byte[]> wire = store.record(record);
    return job.isEmpty() || wire.isEmpty() || verifier.isFraud(job.get(), record, wire.get());
  }

  /** The chain head, read at most once per run and only if a duty needs it. */
  private final class ChainHead {
    private long head = -1;

    long get() {
      if (head < 0) {
        head = disputes.head();
      }
      return head;
    }
  }

  private boolean vote(final Duty.Vote v) {
    final DisputeView dispute = disputes.dispute(v.disputeId());
    if (dispute.status() != DisputeStatus.VOTING || dispute.seat(self) < 0) {
      LOG.info("{}: no vote owed on dispute {} any more ({}{})", self, v.disputeId(), dispute.status(),
          dispute.seat(self) < 0 ? ", not on its committee" : "");
      return true;
    }
    if (dispute.hasVoted(self)) {
      LOG.info("{}: already voted on dispute {}", self, v.disputeId());
      return true;
    }
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
      if (inspected.worker().equals(EthAddress.lower(v.worker()))) {
        final boolean fraud = verifier.isFraud(job.get(), r.key(), r.value());
        LOG.info("{}: votes {} on dispute {}", self, fraud ? "fraud" : "valid", v.disputeId());
        try {
          disputes.vote(v.disputeId(), fraud);
        } catch (CourtRejectedException ex) {
          LOG.error("{}: the court refused its vote on dispute {}: {}", self, v.disputeId(), ex.getMessage());
          return true;
        }
        listener.voted();
        return true;
      }
    }
    LOG.error("{}: drawn for dispute {} but holds no record of worker {} at step {}: not voting", self, v.disputeId(),
        v.worker(), v.step());
    return true;
  }
}
