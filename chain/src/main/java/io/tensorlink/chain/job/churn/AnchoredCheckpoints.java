package io.tensorlink.chain.job.churn;

import io.tensorlink.chain.job.result.AnchoredCheckpoint;
import io.tensorlink.chain.job.result.CheckpointClient;
import io.tensorlink.chain.job.result.CheckpointMessages;
import io.tensorlink.chain.pol.Assignment;
import io.tensorlink.chain.pol.EthAddress;
import io.tensorlink.chain.pol.work.Links;
import io.tensorlink.chain.validator.pol.BlockRecords;
import io.tensorlink.compute.checkpoint.Checkpoint;
import io.tensorlink.p2p.multiaddr.Multiaddr;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.apache.tuweni.bytes.Bytes32;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stage checkpoints of a job's last anchored block, fetched from the live workers on
 * {@code /tl/checkpoint/1.0.0} and checked against the block's anchored {@code checkpointRoot}:
 * what a standby resumes from after a takeover. Every stage is fetched (from the first live replica
 * that answers), since the root commits to all of them together; a checkpoint whose roots do not
 * combine to the anchored one is refused.
 *
 * @param anchored the job's last anchored block (its {@code step} is the resume step)
 * @param assignment the effective assignment: who holds each cell now
 * @param gone the accounts declared gone, never asked
 * @param self this node's account, never asked (it holds no checkpoint of the cell it takes over)
 * @param directory a worker account's dialable address
 */
public record AnchoredCheckpoints(CheckpointClient client, Function<EthAddress, Optional<Multiaddr>> directory,
    AnchoredCheckpoint anchored, Assignment assignment, Set<EthAddress> gone, EthAddress self, Duration timeout)
    implements CheckpointSource {
  private static final Logger LOG = LoggerFactory.getLogger(AnchoredCheckpoints.class);

  public AnchoredCheckpoints {
    gone = Set.copyOf(gone);
  }

  /**
   * @return empty when some stage could not be fetched from any live replica
   * @throws IllegalArgumentException when {@code step} is not the anchored block's, or the stage is not the job's
   * @throws IllegalStateException when the fetched stages do not combine to the anchored checkpointRoot
   */
  @Override
  public Optional<Checkpoint> fetch(final BigInteger jobId, final int stage, final long step) {
    if (!jobId.equals(anchored.jobId()) || step != anchored.step()) {
      throw new IllegalArgumentException("the anchored checkpoint is job " + anchored.jobId() + "'s after step "
          + anchored.step() + ", not job " + jobId + "'s after step " + step);
    }
    final List<Bytes32[]> roots = new ArrayList<>();
    if (stage < 0 || stage >= assignment.stages()) {
      throw new IllegalArgumentException("job " + jobId + " has no stage " + stage);
    }
    Checkpoint wanted = null;
    for (int s = 0; s < assignment.stages(); s++) {
      final Optional<Checkpoint> got = fetchStage(s);
      if (got.isEmpty()) {
        return Optional.empty();
      }
      roots.add(new Bytes32[] {Links.root(got.get().params()), Links.root(got.get().optimizerState())});
      if (s == stage) {
        wanted = got.get();
      }
    }
    final Bytes32 combined = BlockRecords.checkpointRoot(roots);
    if (!combined.equals(anchored.checkpointRoot())) {
      throw new IllegalStateException("the stage checkpoints of job " + jobId + " after step " + step
          + " combine to " + combined + ", not the checkpointRoot " + anchored.checkpointRoot() + " anchored in block "
          + anchored.blockIndex());
    }
    // the wire carries tensors only: the checked checkpoint is labelled as the stage's, for the resumed runtime
    return Optional.of(new Checkpoint(step, wanted.params(), wanted.optimizerState(), Map.of("jobId", jobId.toString(),
        "stage", Integer.toString(stage), "source", "anchored block " + anchored.blockIndex())));
  }

  private Optional<Checkpoint> fetchStage(final int stage) {
    for (int r = 0; r < assignment.replicas(); r++) {
      final EthAddress worker = assignment.worker(stage, r);
      if (worker.equals(self) || gone.contains(worker)) {
        continue;
      }
      final Optional<Multiaddr> address = directory.apply(worker);
      if (address.isEmpty()) {
        LOG.warn("job {}: no address for {} to fetch stage {}'s checkpoint from", anchored.jobId(), worker, stage);
        continue;
      }
      try {
        return Optional.of(client.fetch(address.get(), new CheckpointMessages.Request(anchored.jobId(), stage, r,
            anchored.step())).get(timeout.toMillis(), TimeUnit.MILLISECONDS));
      } catch (ExecutionException | TimeoutException e) {
        LOG.warn("job {}: {} did not serve stage {}'s checkpoint after step {}: {}", anchored.jobId(), worker, stage,
            anchored.step(), e.getCause() == null ? e.toString() : e.getCause().getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Optional.empty();
      }
    }
    return Optional.empty();
  }
}
