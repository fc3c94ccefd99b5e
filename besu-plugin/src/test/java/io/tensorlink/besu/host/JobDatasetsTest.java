package io.tensorlink.besu.host;

import static org.assertj.core.api.Assertions.assertThat;

import io.tensorlink.besu.Fixtures;
import io.tensorlink.chain.job.data.ChunkIndex;
import io.tensorlink.chain.job.data.DataServer;
import io.tensorlink.chain.job.market.JobAnnouncement;
import io.tensorlink.chain.pol.JobSpec;
import io.tensorlink.chain.pol.NodeBinding;
import io.tensorlink.chain.pol.VerifyMode;
import io.tensorlink.chain.pol.work.DatasetCommitment;
import io.tensorlink.compute.data.Dataset;
import io.tensorlink.compute.data.GeneratedData;
import io.tensorlink.compute.optim.AdamW;
import io.tensorlink.compute.optim.LrSchedule;
import io.tensorlink.p2p.host.Host;
import io.tensorlink.p2p.host.HostConfig;
import io.tensorlink.p2p.transport.Hosts;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.tuweni.bytes.Bytes32;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The plugin validator's dataset source over real loopback libp2p: a client host serves a job's
 * dataset with the data protocol's {@link DataServer}; the validator fetches it whole from the
 * announcing client, checks it against the index, keeps it, and answers nothing for unknown roots
 * or while the client is not connected.
 */
class JobDatasetsTest {
  private static final BigInteger JOB = BigInteger.valueOf(7);
  private final List<Host> hosts = new ArrayList<>();
  private final ExecutorService executor = Executors.newFixedThreadPool(2);

  @AfterEach
  void close() {
    hosts.forEach(Host::close);
    executor.shutdownNow();
  }

  @Test
  void fetchesTheAnnouncedDatasetFromItsClientOnceAndKeepsIt() {
    final Dataset data = GeneratedData.images(96, 1, 28, 28, 10, 0.5f, 7);
    final Bytes32 root = DatasetCommitment.of(data).root();
    final JobSpec spec = new JobSpec(Bytes32.ZERO, root, data.size(), AdamW.defaults(), new LrSchedule.Constant(1e-3f), 0f, 4, 11,
        1000, true, 2, 1, 1_000_000, VerifyMode.EXACT, 0, 2, BigInteger.TEN);
    final ChunkIndex index = ChunkIndex.of(data, 32);
    final Host client = host();
    DataServer.register(client, executor).serve(JOB, data, index);
    final JobAnnouncement announced = JobAnnouncement.sign(JOB, spec, index, 100, 0,
        NodeBinding.sign(client.peerId(), 1, Fixtures.DOMAIN, Fixtures.KEYS.get(0)), Fixtures.DOMAIN, Fixtures.KEYS.get(0));
    final Host validator = host();
    final JobDatasets datasets = new JobDatasets(validator, r -> r.equals(root) ? Optional.of(announced) : Optional.empty(),
        Duration.ofSeconds(10));

    assertThat(datasets.apply(root)).as("client not connected yet").isEmpty();
    validator.dial(client.listenAddresses().get(0).withPeerId(client.peerId())).orTimeout(10, TimeUnit.SECONDS).join();
    final Dataset fetched = datasets.apply(root).orElseThrow();
    assertThat(fetched.size()).isEqualTo(data.size());
    assertThat(DatasetCommitment.of(fetched).root()).isEqualTo(root);
    final int[] some = {0, 31, 32, 95};
    assertThat(fetched.batch(some).inputs().data()).isEqualTo(data.batch(some).inputs().data());
    assertThat(fetched.batch(some).labels()).isEqualTo(data.batch(some).labels());
    assertThat(datasets.apply(Bytes32.random())).as("no job announced that root").isEmpty();

    client.close();
    assertThat(datasets.apply(root)).as("kept after the client left").containsSame(fetched);
  }

  private Host host() {
    final Host h = Hosts.create(HostConfig.loopback());
    h.start().orTimeout(10, TimeUnit.SECONDS).join();
    hosts.add(h);
    return h;
  }
}
