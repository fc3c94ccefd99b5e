package io.tensorlink.chain.job.worker;

import io.tensorlink.chain.pol.SignedStepRecord;
import io.tensorlink.chain.pol.wire.PolCodec;
import io.tensorlink.chain.validator.PolTransport;
import io.tensorlink.p2p.pubsub.Gossipsub;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes records on {@code /tl/steps/1/<jobId>} in the form validators store them: the RLP of
 * the {@link SignedStepRecord} ({@link PolCodec#encode(SignedStepRecord)}).
 */
public final class GossipRecordSink implements RecordSink {
  private static final Logger LOG = LoggerFactory.getLogger(GossipRecordSink.class);
  private final Gossipsub gossip;

  public GossipRecordSink(final Gossipsub gossip) {
    this.gossip = gossip;
  }

  @Override
  public void publish(final SignedStepRecord record) {
    final String topic = PolTransport.stepsTopic(record.record().jobId());
    gossip.publish(topic, PolCodec.encode(record).toArrayUnsafe()).whenComplete((r, e) -> {
      if (e != null) {
        LOG.warn("publishing the record of step {} on {} failed: {}", record.record().step(), topic, e.getMessage());
      }
    });
  }
}
