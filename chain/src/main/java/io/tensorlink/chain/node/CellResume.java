package io.tensorlink.chain.node;

import io.tensorlink.chain.job.churn.AnchoredCheckpoints;
import io.tensorlink.chain.job.churn.ChurnWatch;
import io.tensorlink.chain.job.churn.Takeover;
import io.tensorlink.chain.job.result.AnchoredCheckpoint;
import io.tensorlink.chain.job.result.CheckpointClient;
import io.tensorlink.chain.job.result.CheckpointDirectory;
import io.tensorlink.chain.job.worker.WorkerRuntime;
import io.tensorlink.chain.pol.Assignment;
import io.tensorlink.chain.pol.EthAddress;
import io.tensorlink.chain.pol.work.JobContext;
import io.tensorlink.compute.checkpoint.Checkpoint;
import io.tensorlink.p2p.multiaddr.Multiaddr;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What a worker node does on an accepted takeover (docs/jobs-worker.md §5): if the effective
 * assignment gives it a cell, it restarts that cell at the takeover's resume step — from its own
 * checkpoint (a surviving worker), else from the stage checkpoints fetched from the live replicas
 * and checked against the anchored checkpointRoot (the standby) — and its steps wait until every
 * other cell runs its resumed runtime.
 *
 * @param self this node's account
 * @param checkpointDir where this node's worker writes its checkpoints
 * @param directory a worker account's dialable address
 */
record CellResume(WorkerRole role, EthAddress self, Optional<Path> checkpointDir, CheckpointClient client,
    Function<EthAddress, Optional<Multiaddr>> directory, Duration timeout) {

  /**
   * @param job the job over the effective assignment ({@code Succession.rebind})
   * @param anchored the job's last anchored block (read only when this node needs to fetch)
   * @param acceptedAt when this node accepted the takeover (heartbeats before it are the old runtimes')
   * @return the resumed runtime; empty when the effective assignment gives this node no cell
   * @throws IllegalStateException when no checkpoint to resume from is found, or the fetched ones
   *     are not the anchored block's
   */
  Optional<WorkerRuntime> apply(final JobContext job, final ChurnWatch watch, final Takeover takeover,
      final Supplier<Optional<AnchoredCheckpoint>> anchored, final long acceptedAt) {
    final Assignment now = job.assignment();
    final Optional<int[]> cell = now.cellOf(self);
    if (cell.isEmpty()) {
      return Optional.empty();
    }
    final long step = takeover.resumeStep();
    final Optional<Checkpoint> from = step == 0 ? Optional.empty()
        : Optional.of(checkpoint(watch, now, cell.get(), step, anchored));
    return Optional.of(role.resume(job, from, () -> watch.resumedEverywhere(now, self, step, acceptedAt)));
  }

  private Checkpoint checkpoint(final ChurnWatch watch, final Assignment now, final int[] cell, final long step,
      final Supplier<Optional<AnchoredCheckpoint>> anchored) {
    final Optional<Checkpoint> own = checkpointDir.flatMap(dir -> new CheckpointDirectory(dir)
        .find(now.jobId(), cell[0], cell[1], step));
    if (own.isPresent()) {
      return own.get();
    }
    final AnchoredCheckpoint block = anchored.get().orElseThrow(() -> new IllegalStateException(
        "job " + now.jobId() + " has no anchored block to resume from"));
    return new AnchoredCheckpoints(client, directory, block, now, watch.monitor().gone(), self, timeout)
        .fetch(now.jobId(), cell[0], step).orElseThrow(() -> new IllegalStateException(
            "no live replica served stage " + cell[0] + "'s checkpoint after step " + step));
  }
}
