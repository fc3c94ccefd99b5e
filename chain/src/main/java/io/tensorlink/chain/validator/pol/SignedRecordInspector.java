package io.tensorlink.chain.validator.pol;

import io.tensorlink.chain.pol.Assignment;
import io.tensorlink.chain.pol.EthAddress;
import io.tensorlink.chain.pol.PolDomain;
import io.tensorlink.chain.pol.SignedStepRecord;
import io.tensorlink.chain.pol.StepRecord;
import io.tensorlink.chain.pol.wire.PolCodec;
import io.tensorlink.chain.pol.wire.WireException;
import io.tensorlink.chain.store.RecordKey;
import io.tensorlink.chain.validator.InspectedRecord;
import io.tensorlink.chain.validator.JobState;
import io.tensorlink.chain.validator.MalformedMessageException;
import io.tensorlink.chain.validator.RecordInspector;
import java.math.BigInteger;
import java.util.Optional;
import java.util.function.Function;
import org.apache.tuweni.bytes.Bytes;

/**
 * {@link RecordInspector} for pol-core's signed step records ({@code PolCodec}'s
 * {@code SignedStepRecord} wire form): the record must decode, belong to the job, name the job's
 * topology and the worker that holds its (stage, replica) cell, and be signed by that worker in the
 * anchor's v2 domain. The cells' workers come first in the escrow's assigned list (stage-major; the
 * standbys follow them); after a takeover the job's effective assignment, when known, names the
 * cell's worker instead (docs/jobs-worker.md §5). The leaf is the record's EIP-712 struct hash.
 * Cross-record checks are the block verifier's.
 */
public final class SignedRecordInspector implements RecordInspector {
  private final PolDomain domain;
  private final Function<BigInteger, Optional<Assignment>> effective;

  public SignedRecordInspector(final PolDomain domain) {
    this(domain, jobId -> Optional.empty());
  }

  /** @param effective a job's assignment after the takeovers this node accepted, when it follows the job */
  public SignedRecordInspector(final PolDomain domain, final Function<BigInteger, Optional<Assignment>> effective) {
    this.domain = domain;
    this.effective = effective;
  }

  @Override
  public InspectedRecord inspect(final JobState job, final byte[] wire) {
    final SignedStepRecord signed;
    try {
      signed = PolCodec.decodeSignedRecord(Bytes.wrap(wire));
    } catch (WireException | IllegalArgumentException e) {
      throw new MalformedMessageException("not a signed step record: " + e.getMessage(), e);
    }
    final StepRecord r = signed.record();
    if (!r.jobId().equals(job.jobId())) {
      throw new MalformedMessageException("record " + where(r) + " is for job " + r.jobId() + ", not " + job.jobId());
    }
    final String worker = EthAddress.lower(r.worker().toString());
    if (!job.workers().contains(worker)) {
      throw new MalformedMessageException("record " + where(r) + " names worker " + worker + ", who is not assigned to job "
          + job.jobId());
    }
    // The job's topology is the assignment's (stage-major, one worker per cell): a record for a cell
    // that does not exist or that another worker owns would otherwise occupy that cell's slot in the
    // store (the first record per cell is kept) and stall the block.
    final Optional<Assignment> now = effective.apply(job.jobId());
    final long cells = now.map(a -> (long) a.stages() * a.replicas()).orElse((long) job.workers().size());
    if ((long) r.stages() * r.replicas() > cells
        || now.isPresent() && (r.stages() != now.get().stages() || r.replicas() != now.get().replicas())) {
      throw new MalformedMessageException("record " + where(r) + " says " + r.stages() + "x" + r.replicas()
          + " cells, the job assigned " + now.map(a -> a.stages() + "x" + a.replicas() + " cells")
          .orElse(job.workers().size() + " workers"));
    }
    final String owner = now.map(a -> EthAddress.lower(a.worker(r.stage(), r.replica()).toString()))
        .orElseGet(() -> job.workers().get(r.stage() * r.replicas() + r.replica()));
    if (!owner.equals(worker)) {
      throw new MalformedMessageException("record " + where(r) + " names worker " + worker + ", but that cell is assigned to "
          + owner);
    }
    if (!signed.signatureValid(domain)) {
      throw new MalformedMessageException("record " + where(r) + " is not signed by its worker " + worker);
    }
    return new InspectedRecord(new RecordKey(r.jobId(), r.step(), r.stage(), r.replica()), signed.leaf().toArray(), worker);
  }

  private static String where(final StepRecord r) {
    return "(step " + r.step() + ", stage " + r.stage() + ", replica " + r.replica() + ")";
  }
}
