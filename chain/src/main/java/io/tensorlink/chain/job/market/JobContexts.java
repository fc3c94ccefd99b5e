package io.tensorlink.chain.job.market;

import io.tensorlink.chain.job.data.ChunkFetcher;
import io.tensorlink.chain.pol.Assignment;
import io.tensorlink.chain.pol.PolDomain;
import io.tensorlink.chain.pol.work.JobContext;
import io.tensorlink.compute.spec.ModelFactory;
import io.tensorlink.compute.spec.ModelSpec;
import io.tensorlink.compute.spec.ModelSpecs;
import org.apache.tuweni.bytes.Bytes32;

/**
 * Builds an assigned job's {@link JobContext} from what the market delivered: the model spec must
 * hash to the spec's {@code specHash}, and the whole dataset is fetched (every chunk checked against
 * the announced index) and must hash to the spec's {@code datasetRoot}, which ties the client's chunk
 * index to the root the escrow's paramsHash commits to. A JobContext holds the whole dataset
 * (DatasetCommitment needs every sample), so this fetches every chunk; a worker that only trains
 * uses {@link ChunkFetcher#fetchFor} instead. The checks after fetching are the validator's
 * ({@link io.tensorlink.chain.validator.pol.JobContexts#context}).
 */
public final class JobContexts {
  private JobContexts() {}

  public static JobContext build(final MarketJob job, final Assignment assignment, final ModelSpec model,
      final ChunkFetcher fetcher, final PolDomain domain) {
    final Bytes32 modelHash = Bytes32.wrap(ModelSpecs.specHash(model));
    if (!modelHash.equals(job.spec().specHash())) {
      throw new IllegalArgumentException("model " + model.name() + " has specHash " + modelHash + ", job "
          + job.jobId() + " names " + job.spec().specHash());
    }
    return io.tensorlink.chain.validator.pol.JobContexts.context(job.jobId(), job.spec(), ModelFactory.build(model),
        fetcher.fetchAll(), assignment, domain);
  }
}
