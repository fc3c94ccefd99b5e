package io.tensorlink.chain.job.market;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tensorlink.chain.job.data.ChunkFetcher;
import io.tensorlink.chain.job.data.ChunkIndex;
import io.tensorlink.chain.job.data.DataServer;
import io.tensorlink.chain.pol.Assignment;
import io.tensorlink.chain.pol.NodeBinding;
import io.tensorlink.chain.pol.TestKeys;
import io.tensorlink.chain.pol.work.JobContext;
import io.tensorlink.chain.pol.work.PolFixture;
import io.tensorlink.compute.data.Dataset;
import io.tensorlink.compute.data.GeneratedData;
import io.tensorlink.compute.spec.ModelSpecs;
import io.tensorlink.p2p.crypto.KeyType;
import io.tensorlink.p2p.crypto.Keys;
import io.tensorlink.p2p.host.Host;
import io.tensorlink.p2p.host.HostConfig;
import io.tensorlink.p2p.multiaddr.Multiaddr;
import io.tensorlink.p2p.peer.PeerId;
import io.tensorlink.p2p.transport.Hosts;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.tuweni.bytes.Bytes32;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A job's JobContext from chunks fetched over real loopback hosts, tied to the spec's hashes. */
class JobContextsTest {
  static final BigInteger JOB = BigInteger.ONE;
  final List<Host> hosts = new ArrayList<>();
  final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

  @AfterEach
  void stop() {
    hosts.forEach(Host::close);
    executor.shutdownNow();
  }

  @Test
  void theFetchedDatasetAndModelMustBeTheSpecs() {
    final JobContext reference = PolFixture.job(2, 1);
    final Dataset data = reference.dataset();
    final MarketJob job = job(reference, ChunkIndex.of(data, 64));
    final Host client = serve(data, job.announcement().chunks());
    final Host worker = host();
    final ChunkFetcher fetcher = new ChunkFetcher(worker, JOB, job.announcement().chunks(), List.of(address(client)),
        Duration.ofSeconds(10));

    final JobContext built = JobContexts.build(job, reference.assignment(), ModelSpecs.read(PolFixture.MLP), fetcher,
        TestKeys.DOMAIN);
    assertThat(built.data().root()).isEqualTo(reference.data().root());
    assertThat(built.initialRoots()).usingRecursiveFieldByFieldElementComparator()
        .containsExactlyElementsOf(reference.initialRoots());
    final int[] idx = reference.spec().batchPlan().indicesAtGlobalStep(3, 0);
    assertThat(built.dataset().batch(idx).inputs().data()).isEqualTo(data.batch(idx).inputs().data());

    assertThatThrownBy(() -> JobContexts.build(job, reference.assignment(),
        ModelSpecs.read(Path.of("../models/cnn.json")), fetcher, TestKeys.DOMAIN))
        .hasMessageContaining("job 1 names " + reference.spec().specHash());

    // Chunks that match their own index but not the spec's datasetRoot: the index is the client's word only.
    final Dataset other = GeneratedData.images(data.size(), 1, 28, 28, 10, 0.5f, 8);
    final MarketJob lying = job(reference, ChunkIndex.of(other, 64));
    final Host liar = serve(other, lying.announcement().chunks());
    assertThatThrownBy(() -> JobContexts.build(lying, reference.assignment(), ModelSpecs.read(PolFixture.MLP),
        new ChunkFetcher(worker, JOB, lying.announcement().chunks(), List.of(address(liar)), Duration.ofSeconds(10)),
        TestKeys.DOMAIN)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("not the spec's datasetRoot " + reference.spec().datasetRoot());
  }

  private static MarketJob job(final JobContext reference, final ChunkIndex index) {
    final NodeBinding binding = NodeBinding.sign(PeerId.fromPublicKey(Keys.generate(KeyType.ED25519).publicKey()), 1, TestKeys.DOMAIN,
        TestKeys.ANVIL.get(0));
    final JobAnnouncement a = JobAnnouncement.sign(JOB, reference.spec(), index, 100, 0, binding, TestKeys.DOMAIN,
        TestKeys.ANVIL.get(0));
    final OnChainJob onChain = new OnChainJob(JOB, binding.account(), OnChainJob.ACTIVE, 1_000,
        reference.spec().pricePerStep(), BigInteger.TEN.pow(20), reference.spec().verifyRatePpm(), 0, 0,
        reference.spec().specHash(), reference.spec().paramsHash(), Bytes32.ZERO);
    return new MarketJob(JOB, reference.spec(), a, onChain);
  }

  private Host serve(final Dataset data, final ChunkIndex index) {
    final Host h = host();
    DataServer.register(h, executor).serve(JOB, data, index);
    return h;
  }

  private Host host() {
    final Host h = Hosts.create(HostConfig.loopback());
    h.start().orTimeout(10, TimeUnit.SECONDS).join();
    hosts.add(h);
    return h;
  }

  private static Multiaddr address(final Host h) {
    return h.listenAddresses().get(0).withPeerId(h.peerId());
  }
}
