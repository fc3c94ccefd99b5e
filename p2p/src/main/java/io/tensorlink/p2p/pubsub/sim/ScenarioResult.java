package io.tensorlink.p2p.pubsub.sim;

/**
 * What one simulated run measured over its measured messages.
 *
 * @param expected (message, honest node other than its publisher) pairs
 * @param delivered how many of those pairs saw the message
 * @param p50Millis median publish-to-delivery latency
 * @param p99Millis 99th percentile latency
 * @param bytesPerMessage bytes honest nodes sent per measured message (all RPCs: data and control)
 * @param sybilMeshSlots mesh places sybils held across all honest nodes at the end
 * @param graylistedShare share of honest-to-sybil links on which the sybil ended below the graylist
 *     threshold
 * @param belowGossipShare the same below the gossip threshold (its gossip ignored, none sent to it)
 */
public record ScenarioResult(
    String scenario,
    int honest,
    int sybils,
    int messages,
    long expected,
    long delivered,
    double p50Millis,
    double p99Millis,
    double bytesPerMessage,
    int sybilMeshSlots,
    double graylistedShare,
    double belowGossipShare) {

  public double deliveryRate() {
    return expected == 0 ? 1 : (double) delivered / expected;
  }
}
