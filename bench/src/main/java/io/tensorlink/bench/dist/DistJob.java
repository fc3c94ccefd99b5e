package io.tensorlink.bench.dist;

import io.tensorlink.chain.pol.Assignment;
import io.tensorlink.chain.pol.Bid;
import io.tensorlink.chain.pol.EthAddress;
import io.tensorlink.chain.pol.JobSpec;
import io.tensorlink.chain.pol.PolDomain;
import io.tensorlink.chain.pol.VerifyMode;
import io.tensorlink.chain.pol.work.DatasetCommitment;
import io.tensorlink.chain.pol.work.JobContext;
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
import java.util.List;
import org.apache.tuweni.bytes.Bytes32;
import org.web3j.crypto.Credentials;

/**
 * The benchmark's job, derived alike in every process: the given model on generated 28×28 images,
 * AdamW, {@code stages × replicas} cells assigned to anvil's public test accounts.
 */
final class DistJob {
  /** Anvil's deterministic accounts 0 and 1 (public test keys). */
  static final List<Credentials> KEYS = List.of(
      Credentials.create("0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80"),
      Credentials.create("0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d"));
  private static final PolDomain DOMAIN = PolDomain.of(31_337,
      EthAddress.of("0x5FbDB2315678afecb367f032d93F642f64180aa3"));

  private DistJob() {}

  /** @param batch samples per replica per step */
  static JobContext of(final Path modelJson, final int stages, final int replicas, final int batch, final long steps) {
    final Model model = ModelFactory.load(modelJson);
    final int samples = (int) Math.min(1 << 16, steps * batch * replicas);
    final Dataset data = GeneratedData.images(samples, 1, 28, 28, 10, 0.5f, 7);
    final DatasetCommitment commitment = DatasetCommitment.of(data);
    final JobSpec spec = new JobSpec(Bytes32.wrap(ModelSpecs.specHash(ModelSpecs.read(modelJson))), commitment.root(),
        samples, AdamW.defaults(), new LrSchedule.Constant(1e-3f), 0f, batch, 11, steps, true, stages, replicas,
        250_000, VerifyMode.EXACT, 0, 16, BigInteger.TEN);
    final List<Bid> bids = new ArrayList<>();
    for (int i = 0; i < stages * replicas; i++) {
      bids.add(Bid.sign(BigInteger.ONE, BigInteger.ONE, Bid.Backend.CPU, 100, DOMAIN, KEYS.get(i)));
    }
    final Assignment assignment = Assignment.compute(BigInteger.ONE, stages, replicas, 0, bids,
        Bytes32.wrap(new byte[32]), 50, BigInteger.TEN, false, DOMAIN);
    return JobContext.of(BigInteger.ONE, spec, model, data, commitment, assignment, DOMAIN);
  }
}
