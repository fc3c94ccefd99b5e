package io.tensorlink.chain.node;

import io.tensorlink.chain.pol.Assignment;
import io.tensorlink.chain.pol.JobSpec;
import io.tensorlink.chain.pol.PolDomain;
import io.tensorlink.chain.pol.SignedStepRecord;
import io.tensorlink.chain.pol.StepRecord;
import io.tensorlink.chain.pol.wire.PolCodec;
import io.tensorlink.chain.pol.wire.WireException;
import io.tensorlink.chain.store.NodeStore;
import io.tensorlink.chain.store.RecordKey;
import io.tensorlink.chain.store.StoreBatch;
import io.tensorlink.chain.validator.PolTransport;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.tuweni.bytes.Bytes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client node's copy of its jobs' step records, kept from the steps topic so that
 * {@code tl_jobRecords}, and with it {@code tl-cli job result}, works against the client's own node.
 * A record is kept when it decodes, belongs to the job, and is signed by the worker it names, who
 * is assigned to the job (a cell's worker, or a standby that may take a cell over). The newest
 * record per (step, stage, replica) replaces an older one, so a standby's redone steps replace those
 * of the worker it took over from. Nothing across records is checked: {@code job result} checks
 * the checkpoint it fetches against the anchored root, so a wrong record can only send it to the
 * wrong worker.
 */
final class ClientRecords {
  private static final Logger LOG = LoggerFactory.getLogger(ClientRecords.class);

  /** A block's answers from up to 16 peers, each within its own 10 s. */
  private static final Duration FETCH_WAIT = Duration.ofSeconds(30);

  private final NodeStore store;
  private final PolDomain domain;

  ClientRecords(final NodeStore store, final PolDomain domain) {
    this.store = store;
    this.domain = domain;
  }

  /**
   * After a restart: asks the connected peers (the job's workers and validators keep its records) for
   * each block's records this store lacks, and keeps those that check out and fill a gap. A record
   * the store already holds is not replaced, since gossip may have brought a standby's newer one.
   *
   * @return how many records were kept
   */
  int catchUp(final JobSpec spec, final Assignment assignment, final PolTransport peers) {
    final int cells = assignment.stages() * assignment.replicas();
    int kept = 0;
    for (long from = 0; from < spec.steps(); from += spec.blockSteps()) {
      final long to = Math.min(spec.steps(), from + spec.blockSteps());
      if (store.records(assignment.jobId(), from, to).size() == (to - from) * cells) {
        continue;
      }
      final List<byte[]> answers;
      try {
        answers = peers.fetchRecords(assignment.jobId(), from, to).get(FETCH_WAIT.toSeconds(), TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return kept;
      } catch (ExecutionException | TimeoutException e) {
        LOG.warn("job {}: fetching the records of steps [{}, {}) failed: {}", assignment.jobId(), from, to, e.toString());
        continue;
      }
      for (final byte[] wire : answers) {
        if (keep(assignment, wire, true)) {
          kept++;
        }
      }
    }
    LOG.info("job {}: fetched {} records published while this node was away", assignment.jobId(), kept);
    return kept;
  }

  /** Keeps {@code wire} if it is a record of {@code assignment}'s job that one of its workers signed; true if kept. */
  boolean keep(final Assignment assignment, final byte[] wire) {
    return keep(assignment, wire, false);
  }

  /** {@link #keep(Assignment, byte[])}; with {@code onlyIfMissing}, a record the store holds is left as it is. */
  private boolean keep(final Assignment assignment, final byte[] wire, final boolean onlyIfMissing) {
    final SignedStepRecord signed;
    try {
      signed = PolCodec.decodeSignedRecord(Bytes.wrap(wire));
    } catch (WireException | IllegalArgumentException e) {
      LOG.debug("job {}: dropped a record that does not decode: {}", assignment.jobId(), e.getMessage());
      return false;
    }
    final StepRecord r = signed.record();
    final RecordKey key = new RecordKey(r.jobId(), r.step(), r.stage(), r.replica());
    if (onlyIfMissing && store.record(key).isPresent()) {
      return false; // before the signature check: every peer that answers sends the same records
    }
    final String problem = !r.jobId().equals(assignment.jobId()) ? "it is of job " + r.jobId()
        : !assignment.workers().contains(r.worker()) && !assignment.standbys().contains(r.worker())
            ? r.worker() + " is not assigned to the job"
            : !signed.signatureValid(domain) ? "it is not signed by " + r.worker() : null;
    if (problem != null) {
      LOG.debug("job {}: dropped the record of step {} cell ({}, {}): {}", assignment.jobId(), r.step(), r.stage(),
          r.replica(), problem);
      return false;
    }
    store.commit(new StoreBatch().putRecord(key, wire));
    return true;
  }
}
