package io.tensorlink.chain.validator.dispute;

import io.tensorlink.chain.store.BlockKey;
import io.tensorlink.chain.store.RecordKey;
import io.tensorlink.chain.validator.DisputeClient;
import java.math.BigInteger;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers a data-availability request for a record this node holds: publishes it with
 * {@code provideData} while the request is open, so the block's signers are not slashed and the
 * block is not voided for records that exist.
 */
public final class DataAnswerer {
  private static final Logger LOG = LoggerFactory.getLogger(DataAnswerer.class);

  private final DisputeClient court;
  private final BlockRecords records;

  public DataAnswerer(final DisputeClient court, final BlockRecords records) {
    this.court = court;
    this.records = records;
  }

  /**
   * Answers request {@code requestId} for {@code record} of {@code block}; true when nothing is left
   * to do (answered, by this node or another, or closed). Transport failures propagate.
   */
  public boolean answer(final BigInteger requestId, final BlockKey block, final RecordKey record) {
    final Optional<DataRequestView> request = court.dataRequest(requestId);
    if (request.isEmpty() || !request.get().answerable()) {
      LOG.info("{}: data request {} is closed or answered: nothing to publish", court.account(), requestId);
      return true;
    }
    final RecordProof proof;
    try {
      proof = records.proof(block, record);
    } catch (EvidenceUnavailableException e) {
      LOG.error("{}: cannot answer data request {} for {}: {}", court.account(), requestId, record, e.getMessage());
      return true;
    }
    try {
      court.provideData(requestId, proof.wire(), proof.proof());
      LOG.info("{}: published {} for data request {}", court.account(), record, requestId);
      return true;
    } catch (CourtRejectedException e) {
      if (e.error().equals("DisputeCourtRequestNotOpen")) {
        LOG.info("{}: data request {} was answered by another holder first", court.account(), requestId);
        return true;
      }
      if (Rejections.isFinal(e)) {
        LOG.error("{}: data request {} for {}: the court refused the answer: {}", court.account(), requestId, record,
            e.getMessage());
        return true;
      }
      LOG.warn("{}: data request {}: refused, retrying: {}", court.account(), requestId, e.getMessage());
      return false;
    }
  }
}
