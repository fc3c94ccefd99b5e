package io.tensorlink.chain.job.worker;

import io.tensorlink.chain.pol.SignedStepRecord;
import io.tensorlink.chain.pol.StepRecord;
import io.tensorlink.chain.pol.wire.PolCodec;
import io.tensorlink.chain.store.NodeStore;
import io.tensorlink.chain.store.RecordKey;
import io.tensorlink.chain.store.StoreBatch;

/**
 * Keeps each record in the node's store, in the form validators store them, before passing it on:
 * a validator that missed it on gossip can then fetch it from the worker that signed it
 * ({@code /tl/records/1.0.0}), even when no other validator received it.
 */
public final class StoringRecordSink implements RecordSink {
  private final NodeStore store;
  private final RecordSink next;

  public StoringRecordSink(final NodeStore store, final RecordSink next) {
    this.store = store;
    this.next = next;
  }

  @Override
  public void publish(final SignedStepRecord record) {
    final StepRecord r = record.record();
    store.commit(new StoreBatch().putRecord(new RecordKey(r.jobId(), r.step(), r.stage(), r.replica()),
        PolCodec.encode(record).toArrayUnsafe()));
    next.publish(record);
  }
}
