package io.tensorlink.chain.job.market;

import io.tensorlink.chain.pol.Assignment;
import io.tensorlink.chain.pol.Bid;
import io.tensorlink.chain.pol.EthAddress;
import io.tensorlink.chain.pol.PolDomain;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.tuweni.bytes.Bytes32;

/**
 * The market's use of {@link Assignment#compute}: the same inputs on every node, in the same order.
 * A worker that bid more than once keeps one bid: the lowest price, ties by the lower bid hash (so
 * arrival order, which differs between nodes, never matters); the job's price, bid-window end,
 * announced standby count and mode fill in the rest.
 */
public final class AssignmentRule {
  private AssignmentRule() {}

  public static Assignment compute(final MarketJob job, final List<SignedBid> bids, final Bytes32 randomness,
      final PolDomain domain) {
    final List<SignedBid> sorted = new ArrayList<>(bids);
    sorted.sort(Comparator.comparing((SignedBid b) -> b.bid().worker()).thenComparing(b -> b.bid().pricePerStep())
        .thenComparing(SignedBid::bidHash));
    final Map<EthAddress, Bid> perWorker = new LinkedHashMap<>();
    sorted.forEach(b -> perWorker.putIfAbsent(b.bid().worker(), b.bid()));
    return Assignment.compute(job.jobId(), job.spec().stages(), job.spec().replicas(), job.announcement().standbys(),
        List.copyOf(perWorker.values()), randomness, job.bidWindowEnd(), job.maxPrice(), job.cudaAllowed(), domain);
  }
}
