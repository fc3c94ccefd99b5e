package io.tensorlink.chain.job.result;

import io.tensorlink.chain.pol.EthAddress;
import io.tensorlink.chain.pol.work.Links;
import io.tensorlink.chain.validator.pol.BlockRecords;
import io.tensorlink.compute.checkpoint.Checkpoint;
import io.tensorlink.compute.tensor.NamedTensors;
import io.tensorlink.p2p.multiaddr.Multiaddr;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.apache.tuweni.bytes.Bytes32;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches a job's model at its latest anchored block and checks it (docs/jobs-result.md §2):
 *
 * <ol>
 *   <li>the records' replica-0 roots at the block's last step must combine to the anchored
 *       {@code checkpointRoot} (else the records are not the anchored block's);
 *   <li>each stage's checkpoint is asked of replica 0's worker, then of the other replicas' in
 *       replica order; a stage's answer is kept only when its parameters' and optimizer state's
 *       roots equal that cell's record;
 *   <li>the kept stages' own roots must combine to the anchored {@code checkpointRoot}.
 * </ol>
 *
 * Anything else is refused with a {@link ResultRefusedException} naming the stage, replica, worker
 * and roots involved.
 */
public final class ResultFetcher {
  private static final Logger LOG = LoggerFactory.getLogger(ResultFetcher.class);

  private final CheckpointClient client;
  private final Function<EthAddress, Optional<Multiaddr>> directory;
  private final Duration timeout;

  /** @param directory a worker account's dialable address (the node bindings) */
  public ResultFetcher(final CheckpointClient client, final Function<EthAddress, Optional<Multiaddr>> directory,
      final Duration timeout) {
    this.client = client;
    this.directory = directory;
    this.timeout = timeout;
  }

  /**
   * @param cells the records of the block's last step ({@code anchored.step() - 1}), one per cell
   * @param stages the job's stage count
   */
  public FetchedModel fetch(final AnchoredCheckpoint anchored, final List<CellRoots> cells, final int stages) {
    final List<Bytes32[]> recorded = new ArrayList<>();
    for (int s = 0; s < stages; s++) {
      final int stage = s;
      final CellRoots r0 = cells.stream().filter(c -> c.stage() == stage && c.replica() == 0).findFirst()
          .orElseThrow(() -> new ResultRefusedException("no record of stage " + stage + " replica 0 at step "
              + (anchored.step() - 1)));
      recorded.add(new Bytes32[] {r0.paramsAfter(), r0.optStateAfter()});
    }
    final Bytes32 fromRecords = BlockRecords.checkpointRoot(recorded);
    if (!fromRecords.equals(anchored.checkpointRoot())) {
      throw new ResultRefusedException("the records of step " + (anchored.step() - 1) + " combine to " + fromRecords
          + ", not the checkpointRoot " + anchored.checkpointRoot() + " anchored in block " + anchored.blockIndex()
          + ": they are not the anchored block's records");
    }
    final List<Checkpoint> kept = new ArrayList<>();
    final List<Integer> servedBy = new ArrayList<>();
    final List<String> fallbacks = new ArrayList<>();
    final List<Bytes32[]> fetched = new ArrayList<>();
    for (int s = 0; s < stages; s++) {
      final int stage = s;
      final List<CellRoots> candidates = cells.stream().filter(c -> c.stage() == stage)
          .sorted(Comparator.comparingInt(CellRoots::replica)).toList();
      final List<String> failures = new ArrayList<>();
      Checkpoint got = null;
      for (final CellRoots cell : candidates) {
        final Checkpoint c;
        try {
          c = ask(anchored, cell);
        } catch (ResultRefusedException e) {
          failures.add(e.getMessage());
          continue;
        }
        final Optional<String> refusal = mismatch(cell, c);
        if (refusal.isPresent()) {
          failures.add(refusal.get());
          LOG.warn("job {}: {}", anchored.jobId(), refusal.get());
          continue;
        }
        got = c;
        servedBy.add(cell.replica());
        fetched.add(new Bytes32[] {cell.paramsAfter(), cell.optStateAfter()});
        break;
      }
      if (got == null) {
        throw new ResultRefusedException("no worker served a matching checkpoint of stage " + stage + " at step "
            + anchored.step() + ": " + String.join("; ", failures));
      }
      fallbacks.addAll(failures);
      kept.add(got);
    }
    final Bytes32 combined = BlockRecords.checkpointRoot(fetched);
    if (!combined.equals(anchored.checkpointRoot())) {
      // a stage served by another replica whose record disagrees with replica 0's (replicas must agree)
      throw new ResultRefusedException("the fetched stages combine to " + combined + ", not the anchored checkpointRoot "
          + anchored.checkpointRoot());
    }
    final NamedTensors.Builder model = NamedTensors.builder();
    kept.forEach(c -> model.addAll(c.params()));
    return new FetchedModel(anchored, kept, servedBy, model.build(), fallbacks);
  }

  /** Why checkpoint {@code c} is not the one {@code cell}'s record commits to, if it is not. */
  static Optional<String> mismatch(final CellRoots cell, final Checkpoint c) {
    final Bytes32 params = Links.root(c.params());
    if (!params.equals(cell.paramsAfter())) {
      return Optional.of(describe(cell) + " served parameters with root " + params + ", its record says "
          + cell.paramsAfter());
    }
    final Bytes32 state = Links.root(c.optimizerState());
    if (!state.equals(cell.optStateAfter())) {
      return Optional.of(describe(cell) + " served optimizer state with root " + state + ", its record says "
          + cell.optStateAfter());
    }
    return Optional.empty();
  }

  private Checkpoint ask(final AnchoredCheckpoint anchored, final CellRoots cell) {
    final Multiaddr address = directory.apply(cell.worker()).orElseThrow(() -> new ResultRefusedException(
        describe(cell) + ": no known address"));
    try {
      return client.fetch(address, new CheckpointMessages.Request(anchored.jobId(), cell.stage(), cell.replica(),
          anchored.step())).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new ResultRefusedException(describe(cell) + ": " + e.getCause().getMessage());
    } catch (TimeoutException e) {
      throw new ResultRefusedException(describe(cell) + ": no answer within " + timeout);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ResultRefusedException(describe(cell) + ": interrupted");
    }
  }

  private static String describe(final CellRoots cell) {
    return "stage " + cell.stage() + " replica " + cell.replica() + " (worker " + cell.worker() + ")";
  }
}
