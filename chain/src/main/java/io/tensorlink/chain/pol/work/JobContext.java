package io.tensorlink.chain.pol.work;

import io.tensorlink.chain.pol.Assignment;
import io.tensorlink.chain.pol.JobSpec;
import io.tensorlink.chain.pol.PolDomain;
import io.tensorlink.compute.data.Dataset;
import io.tensorlink.compute.dist.PipelinePartitioner;
import io.tensorlink.compute.dist.Stage;
import io.tensorlink.compute.nn.Model;
import io.tensorlink.compute.tensor.NamedTensors;
import java.math.BigInteger;
import java.util.List;
import org.apache.tuweni.bytes.Bytes32;

/**
 * Everything about a job that workers and validators derive alike: the spec, the model and its
 * pipeline stages, the dataset and its commitment, the assignment and the signing domain.
 */
public record JobContext(BigInteger jobId, JobSpec spec, Model model, List<Stage> stages, Dataset dataset,
    DatasetCommitment data, Assignment assignment, PolDomain domain) {

  public JobContext {
    if (stages.size() != spec.stages()) {
      throw new IllegalArgumentException("spec has " + spec.stages() + " stages, partition " + stages.size());
    }
    if (!data.root().equals(spec.datasetRoot())) {
      throw new IllegalArgumentException("dataset root " + data.root() + " is not the spec's " + spec.datasetRoot());
    }
    if (dataset.size() != spec.datasetSize()) {
      throw new IllegalArgumentException("dataset has " + dataset.size() + " samples, the spec says "
          + spec.datasetSize());
    }
    if (!assignment.jobId().equals(jobId) || assignment.stages() != spec.stages()
        || assignment.replicas() != spec.replicas()) {
      throw new IllegalArgumentException("assignment is for job " + assignment.jobId() + " with "
          + assignment.stages() + "x" + assignment.replicas() + " cells, not this job");
    }
    stages = List.copyOf(stages);
  }

  public static JobContext of(final BigInteger jobId, final JobSpec spec, final Model model, final Dataset dataset,
      final DatasetCommitment data, final Assignment assignment, final PolDomain domain) {
    return new JobContext(jobId, spec, model, PipelinePartitioner.stages(model, spec.stages()), dataset, data,
        assignment, domain);
  }

  /** The parameters every stage starts from (step 0), as the spec's seed initialises them. */
  public NamedTensors initialParams() {
    return model.initParams(spec.seed());
  }

  /** The optimizer state slice that belongs to {@code stageParams}. */
  public NamedTensors initialState(final NamedTensors stageParams) {
    return spec.hyperParams().optimizer().initState(stageParams);
  }

  /** paramsRoot and optimizer-state root of every stage at step 0. */
  public List<Bytes32[]> initialRoots() {
    final NamedTensors all = initialParams();
    return stages.stream().map(s -> {
      final NamedTensors p = s.selectParams(all);
      return new Bytes32[] {Links.root(p), Links.root(initialState(p))};
    }).toList();
  }

  /** The global sample offset of a replica's shard (dropout masks are keyed by it). */
  public long sampleOffset(final int replica) {
    return (long) replica * spec.batch();
  }
}
