package io.tensorlink.chain.job.result;

import io.tensorlink.compute.checkpoint.Checkpoint;
import io.tensorlink.compute.tensor.NamedTensors;
import java.util.List;

/**
 * A job's model as checked against its anchored checkpoint.
 *
 * @param stages each stage's checkpoint (parameters + optimizer state), in stage order
 * @param servedBy per stage, the replica whose worker served it
 * @param params the whole model: every stage's parameters in stage order (spec order)
 * @param fallbacks why a replica other than 0 served a stage (empty when all came from replica 0)
 */
public record FetchedModel(AnchoredCheckpoint anchored, List<Checkpoint> stages, List<Integer> servedBy,
    NamedTensors params, List<String> fallbacks) {
  public FetchedModel {
    stages = List.copyOf(stages);
    servedBy = List.copyOf(servedBy);
    fallbacks = List.copyOf(fallbacks);
  }
}
