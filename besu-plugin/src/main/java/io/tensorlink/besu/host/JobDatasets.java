package io.tensorlink.besu.host;

import io.tensorlink.chain.job.data.ChunkFetcher;
import io.tensorlink.chain.job.market.JobAnnouncement;
import io.tensorlink.compute.data.Dataset;
import io.tensorlink.p2p.host.Host;
import io.tensorlink.p2p.multiaddr.Multiaddr;
import io.tensorlink.p2p.peer.PeerId;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.apache.tuweni.bytes.Bytes32;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The validator's datasets, by root: the whole dataset of the job that announced this root,
 * fetched once from the job's client over the data protocol ({@link ChunkFetcher#fetchAll}, each
 * chunk checked against the announced index; the job context then checks the root against the
 * spec) and kept for the node's life. The client must be connected (it announced the job over
 * gossip, so it usually is); until a fetch succeeds the answer is empty and the job's verdicts
 * stay "incomplete", and the next call tries again.
 */
final class JobDatasets implements Function<Bytes32, Optional<Dataset>> {
  private static final Logger LOG = LoggerFactory.getLogger(JobDatasets.class);

  private final Host host;
  private final Function<Bytes32, Optional<JobAnnouncement>> announcements;
  private final Duration timeout;
  private final Map<Bytes32, Dataset> fetched = new HashMap<>();

  /**
   * @param announcements the verified announcement of a job whose spec names this dataset root
   * @param timeout how long one chunk may take
   */
  JobDatasets(final Host host, final Function<Bytes32, Optional<JobAnnouncement>> announcements, final Duration timeout) {
    this.host = host;
    this.announcements = announcements;
    this.timeout = timeout;
  }

  @Override
  public synchronized Optional<Dataset> apply(final Bytes32 root) {
    final Dataset known = fetched.get(root);
    if (known != null) {
      return Optional.of(known);
    }
    final Optional<JobAnnouncement> job = announcements.apply(root);
    if (job.isEmpty()) {
      return Optional.empty();
    }
    final PeerId client = job.get().binding().peer();
    final Optional<Multiaddr> where = host.connections().stream().filter(c -> c.remotePeer().equals(client))
        .map(c -> c.remoteAddress().withPeerId(client)).findFirst();
    if (where.isEmpty()) {
      LOG.info("job {}: its client {} is not connected, cannot fetch dataset {} yet", job.get().jobId(), client, root);
      return Optional.empty();
    }
    try {
      final Dataset dataset = new ChunkFetcher(host, job.get().jobId(), job.get().chunks(), List.of(where.get()), timeout).fetchAll();
      fetched.put(root, dataset);
      LOG.info("job {}: fetched dataset {} ({} samples) from {}", job.get().jobId(), root, dataset.size(), client);
      return Optional.of(dataset);
    } catch (RuntimeException e) {
      LOG.warn("job {}: fetching dataset {} from {} failed: {}", job.get().jobId(), root, client, e.getMessage());
      return Optional.empty();
    }
  }
}
