package io.tensorlink.chain.validator;

import io.tensorlink.chain.store.BlockKey;
import io.tensorlink.chain.store.JobKey;
import io.tensorlink.chain.store.NodeStore;
import io.tensorlink.chain.store.RecordKey;
import io.tensorlink.chain.store.StoredEntry;
import io.tensorlink.chain.validator.dispute.BlockRecords;
import io.tensorlink.chain.validator.dispute.EvidenceUnavailableException;
import io.tensorlink.chain.validator.dispute.RecordProof;
import io.tensorlink.contracts.merkle.MerkleTree;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link BlockRecords} from the node store: the block's step range from its anchored entry, the
 * leaves of every stored record in that range (the stepsRoot's tree; leaves are sorted, so their
 * order does not matter), and the requested record's proof in it.
 */
final class StoreBlockRecords implements BlockRecords {
  private final NodeStore store;
  private final RecordInspector inspector;

  StoreBlockRecords(final NodeStore store, final RecordInspector inspector) {
    this.store = store;
    this.inspector = inspector;
  }

  @Override
  public byte[] leaf(final BlockKey block, final RecordKey record) {
    return inspect(job(block), record, wire(record)).leaf();
  }

  @Override
  public RecordProof proof(final BlockKey block, final RecordKey record) {
    final JobState job = job(block);
    final BlockEntry entry = store.block(block).map(BlockEntry::decode)
        .orElseThrow(() -> new EvidenceUnavailableException(
            "block " + block.index() + " of job " + block.jobId() + " is not stored", null));
    if (record.step() < entry.stepFrom() || record.step() >= entry.stepTo()) {
      throw new EvidenceUnavailableException(record + " is outside block " + block.index() + " (steps " + entry.stepFrom() + ".."
          + entry.stepTo() + ", stepTo exclusive)", null);
    }
    final byte[] wire = wire(record);
    final List<byte[]> leaves = new ArrayList<>();
    for (final StoredEntry<RecordKey> e : store.records(block.jobId(), entry.stepFrom(), entry.stepTo())) {
      leaves.add(inspect(job, e.key(), e.value()).leaf());
    }
    return new RecordProof(wire, MerkleTree.of(leaves).proof(inspect(job, record, wire).leaf()));
  }

  private JobState job(final BlockKey block) {
    return store.job(new JobKey(block.jobId())).map(JobState::decode)
        .orElseThrow(() -> new EvidenceUnavailableException("job " + block.jobId() + " is not known here", null));
  }

  private byte[] wire(final RecordKey record) {
    return store.record(record)
        .orElseThrow(() -> new EvidenceUnavailableException("record " + record + " is not stored here", null));
  }

  private InspectedRecord inspect(final JobState job, final RecordKey key, final byte[] wire) {
    try {
      return inspector.inspect(job, wire);
    } catch (MalformedMessageException e) {
      throw new EvidenceUnavailableException("stored record " + key + " no longer passes inspection: " + e.getMessage(), e);
    }
  }
}
