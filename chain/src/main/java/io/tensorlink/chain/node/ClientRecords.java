package io.tensorlink.chain.node;

import io.tensorlink.chain.pol.Assignment;
import io.tensorlink.chain.pol.PolDomain;
import io.tensorlink.chain.pol.SignedStepRecord;
import io.tensorlink.chain.pol.StepRecord;
import io.tensorlink.chain.pol.wire.PolCodec;
import io.tensorlink.chain.pol.wire.WireException;
import io.tensorlink.chain.store.NodeStore;
import io.tensorlink.chain.store.RecordKey;
import io.tensorlink.chain.store.StoreBatch;
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

  private final NodeStore store;
  private final PolDomain domain;

  ClientRecords(final NodeStore store, final PolDomain domain) {
    this.store = store;
    this.domain = domain;
  }

  /** Keeps {@code wire} if it is a record of {@code assignment}'s job that one of its workers signed; true if kept. */
  boolean keep(final Assignment assignment, final byte[] wire) {
    final SignedStepRecord signed;
    try {
      signed = PolCodec.decodeSignedRecord(Bytes.wrap(wire));
    } catch (WireException | IllegalArgumentException e) {
      LOG.debug("job {}: dropped a record that does not decode: {}", assignment.jobId(), e.getMessage());
      return false;
    }
    final StepRecord r = signed.record();
    final String problem = !r.jobId().equals(assignment.jobId()) ? "it is of job " + r.jobId()
        : !assignment.workers().contains(r.worker()) && !assignment.standbys().contains(r.worker())
            ? r.worker() + " is not assigned to the job"
            : !signed.signatureValid(domain) ? "it is not signed by " + r.worker() : null;
    if (problem != null) {
      LOG.debug("job {}: dropped the record of step {} cell ({}, {}): {}", assignment.jobId(), r.step(), r.stage(),
          r.replica(), problem);
      return false;
    }
    store.commit(new StoreBatch().putRecord(new RecordKey(r.jobId(), r.step(), r.stage(), r.replica()), wire));
    return true;
  }
}
