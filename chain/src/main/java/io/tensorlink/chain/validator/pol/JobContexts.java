package io.tensorlink.chain.validator.pol;

import io.tensorlink.chain.pol.Assignment;
import io.tensorlink.chain.pol.EthAddress;
import io.tensorlink.chain.pol.JobSpec;
import io.tensorlink.chain.pol.PolDomain;
import io.tensorlink.chain.pol.work.DatasetCommitment;
import io.tensorlink.chain.pol.work.JobContext;
import io.tensorlink.chain.validator.JobState;
import io.tensorlink.compute.data.Dataset;
import io.tensorlink.compute.nn.Model;
import io.tensorlink.compute.spec.ModelFactory;
import io.tensorlink.compute.spec.ModelSpec;
import io.tensorlink.compute.spec.ModelSpecs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;
import org.apache.tuweni.bytes.Bytes32;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The seam between the job flow and verification: jobId → {@link JobContext}, built once per
 * (job, assignment) from
 *
 * <ul>
 *   <li>the job's verified {@link JobSpec} ({@code specs}: the market's catalog of announced specs,
 *       which checks a spec's canonical JSON against the escrow's {@code paramsHash});
 *   <li>the model its {@code specHash} names ({@code models}, e.g. {@link #modelsIn});
 *   <li>the dataset its {@code datasetRoot} names ({@code datasets}); the context recomputes the
 *       dataset's commitment and refuses a dataset whose root is not the spec's;
 *   <li>the workers the escrow assigned ({@link JobState#workers()}, from {@code JobAssigned}: the
 *       cells' workers stage-major, then the standbys), or the job's effective assignment after
 *       takeovers when this node follows it.
 * </ul>
 *
 * <p>The spec must name the model hash the escrow recorded ({@code JobCreated.specHash}) and a
 * topology with at most as many cells as assigned workers. Anything missing or inconsistent gives
 * {@link Optional#empty()} (logged once per reason); it is not cached, so a spec that arrives later
 * is picked up. The chain only stores the assignment's hash, so the context's {@link Assignment}
 * carries the assigned workers with zero randomness and no standbys: only {@code worker(stage,
 * replica)} is used by verification.
 */
public final class JobContexts {
  private static final Logger LOG = LoggerFactory.getLogger(JobContexts.class);

  private final Function<BigInteger, Optional<JobSpec>> specs;
  private final Function<Bytes32, Optional<Model>> models;
  private final Function<Bytes32, Optional<Dataset>> datasets;
  private final PolDomain domain;
  private final Function<BigInteger, Optional<Assignment>> effective;
  private final Map<BigInteger, Built> cache = new HashMap<>();
  private final Map<BigInteger, String> lastProblem = new HashMap<>();

  private record Built(List<String> workers, JobContext context) {}

  public JobContexts(final Function<BigInteger, Optional<JobSpec>> specs, final Function<Bytes32, Optional<Model>> models,
      final Function<Bytes32, Optional<Dataset>> datasets, final PolDomain domain) {
    this(specs, models, datasets, domain, jobId -> Optional.empty());
  }

  /**
   * @param effective a job's assignment after the takeovers this node accepted, when it follows the
   *     job: its cells' workers replace the escrow's (docs/jobs-worker.md §5)
   */
  public JobContexts(final Function<BigInteger, Optional<JobSpec>> specs, final Function<Bytes32, Optional<Model>> models,
      final Function<Bytes32, Optional<Dataset>> datasets, final PolDomain domain,
      final Function<BigInteger, Optional<Assignment>> effective) {
    this.effective = effective;
    this.specs = specs;
    this.models = models;
    this.datasets = datasets;
    this.domain = domain;
  }

  /** The context of {@code job}, or empty while its spec, model or dataset is unknown or inconsistent. */
  public synchronized Optional<JobContext> of(final JobState job) {
    final Optional<Assignment> now = effective.apply(job.jobId());
    final List<String> workers = now.map(a -> a.workers().stream().map(w -> EthAddress.lower(w.toString())).toList())
        .orElse(job.workers());
    final Built cached = cache.get(job.jobId());
    if (cached != null && cached.workers().equals(workers)) {
      return Optional.of(cached.context());
    }
    try {
      final JobContext built = build(job, now);
      cache.put(job.jobId(), new Built(workers, built));
      lastProblem.remove(job.jobId());
      return Optional.of(built);
    } catch (IllegalArgumentException | IllegalStateException e) {
      if (!e.getMessage().equals(lastProblem.put(job.jobId(), e.getMessage()))) {
        LOG.warn("cannot verify job {} yet: {}", job.jobId(), e.getMessage());
      }
      return Optional.empty();
    }
  }

  private JobContext build(final JobState job, final Optional<Assignment> now) {
    final JobSpec spec = specs.apply(job.jobId())
        .orElseThrow(() -> new IllegalStateException("no verified spec for job " + job.jobId()));
    if (!spec.specHash().equals(Bytes32.wrap(job.specHash()))) {
      throw new IllegalArgumentException("the spec names model " + spec.specHash() + ", the escrow recorded "
          + Bytes32.wrap(job.specHash()));
    }
    final int cells = spec.stages() * spec.replicas();
    if (job.workers().size() < cells) {
      throw new IllegalArgumentException("the escrow assigned " + job.workers().size() + " workers to a "
          + spec.stages() + "x" + spec.replicas() + " job");
    }
    final Model model = models.apply(spec.specHash())
        .orElseThrow(() -> new IllegalStateException("no model with spec hash " + spec.specHash()));
    final Dataset dataset = datasets.apply(spec.datasetRoot())
        .orElseThrow(() -> new IllegalStateException("no dataset with root " + spec.datasetRoot()));
    final List<EthAddress> assigned = job.workers().stream().map(EthAddress::of).toList();
    final Assignment assignment = now.orElseGet(() -> new Assignment(job.jobId(), Bytes32.ZERO, spec.stages(),
        spec.replicas(), assigned.subList(0, cells), assigned.subList(cells, assigned.size())));
    return context(job.jobId(), spec, model, dataset, assignment, domain);
  }

  /**
   * A job's context once its parts are found (here, and for a worker by the market's
   * {@code job.market.JobContexts}): commits to {@code dataset} and refuses one whose root is not the
   * spec's {@code datasetRoot}.
   *
   * @throws IllegalStateException naming both roots when the dataset is not the spec's
   */
  public static JobContext context(final BigInteger jobId, final JobSpec spec, final Model model, final Dataset dataset,
      final Assignment assignment, final PolDomain domain) {
    final DatasetCommitment commitment = DatasetCommitment.of(dataset);
    if (!commitment.root().equals(spec.datasetRoot())) {
      throw new IllegalStateException("job " + jobId + ": the dataset has root " + commitment.root()
          + ", not the spec's datasetRoot " + spec.datasetRoot());
    }
    return JobContext.of(jobId, spec, model, dataset, commitment, assignment, domain);
  }

  /** Every {@code *.json} model spec in {@code dir} by its spec hash (the shipped {@code models/}). */
  public static Function<Bytes32, Optional<ModelSpec>> specsIn(final Path dir) {
    final Map<Bytes32, ModelSpec> byHash = new HashMap<>();
    try (Stream<Path> files = Files.list(dir)) {
      files.filter(p -> p.getFileName().toString().endsWith(".json")).map(ModelSpecs::read)
          .forEach(spec -> byHash.put(Bytes32.wrap(ModelSpecs.specHash(spec)), spec));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list model specs in " + dir, e);
    }
    return hash -> Optional.ofNullable(byHash.get(hash));
  }

  /** Every {@code *.json} model spec in {@code dir}, built, by its spec hash (the shipped {@code models/}). */
  public static Function<Bytes32, Optional<Model>> modelsIn(final Path dir) {
    final Function<Bytes32, Optional<ModelSpec>> specs = specsIn(dir);
    return hash -> specs.apply(hash).map(ModelFactory::build);
  }
}
