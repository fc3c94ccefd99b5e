package io.tensorlink.chain.pol.work;

import io.tensorlink.chain.pol.Assignment;
import io.tensorlink.chain.pol.Bid;
import io.tensorlink.chain.pol.EthAddress;
import io.tensorlink.chain.pol.JobSpec;
import io.tensorlink.chain.pol.TestKeys;
import io.tensorlink.chain.pol.VerifyMode;
import io.tensorlink.compute.data.Dataset;
import io.tensorlink.compute.data.GeneratedData;
import io.tensorlink.compute.nn.Model;
import io.tensorlink.compute.optim.AdamW;
import io.tensorlink.compute.optim.LrSchedule;
import io.tensorlink.compute.spec.ModelFactory;
import io.tensorlink.compute.spec.ModelSpecs;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.tuweni.bytes.Bytes32;
import org.web3j.crypto.Credentials;

/**
 * A job on the shipped {@code models/mlp.json} with generated 28×28 images: S stages × R replicas,
 * workers are anvil accounts chosen by {@link Assignment#compute} from signed bids.
 */
public final class PolFixture {
  public static final Path MLP = Path.of("../models/mlp.json");
  private static final int SAMPLES = 256;

  private PolFixture() {}

  public static JobContext job(final BigInteger jobId, final int stages, final int replicas, final int ratePpm,
      final VerifyMode mode, final int tolerancePpm) {
    final Model model = ModelFactory.load(MLP);
    final Dataset data = GeneratedData.images(SAMPLES, 1, 28, 28, 10, 0.5f, 7);
    final DatasetCommitment commitment = DatasetCommitment.of(data);
    final JobSpec spec = new JobSpec(Bytes32.wrap(ModelSpecs.specHash(ModelSpecs.read(MLP))), commitment.root(), SAMPLES,
        AdamW.defaults(), new LrSchedule.Constant(1e-3f), 0f, 4, 11, 1000, true, stages, replicas, ratePpm, mode,
        tolerancePpm, 4, BigInteger.TEN);
    final List<Bid> bids = new ArrayList<>();
    for (int i = 0; i < stages * replicas; i++) {
      bids.add(Bid.sign(jobId, BigInteger.ONE, Bid.Backend.CPU, 100, TestKeys.DOMAIN, TestKeys.ANVIL.get(i)));
    }
    final Assignment assignment = Assignment.compute(jobId, stages, replicas, 0, bids, Bytes32.wrap(new byte[32]), 50,
        BigInteger.TEN, false, TestKeys.DOMAIN);
    return JobContext.of(jobId, spec, model, data, commitment, assignment, TestKeys.DOMAIN);
  }

  public static JobContext job(final int stages, final int replicas) {
    return job(BigInteger.ONE, stages, replicas, 250_000, VerifyMode.EXACT, 0);
  }

  public static Map<EthAddress, Credentials> keys() {
    final Map<EthAddress, Credentials> m = new HashMap<>();
    TestKeys.ANVIL.forEach(c -> m.put(EthAddress.of(c.getAddress()), c));
    return m;
  }
}
