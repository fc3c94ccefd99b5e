package io.tensorlink.chain.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.tensorlink.chain.job.result.StoredJobRecords;
import io.tensorlink.chain.pol.Assignment;
import io.tensorlink.chain.pol.EthAddress;
import io.tensorlink.chain.pol.SignedStepRecord;
import io.tensorlink.chain.pol.StepRecord;
import io.tensorlink.chain.pol.TestKeys;
import io.tensorlink.chain.pol.wire.PolCodec;
import io.tensorlink.chain.pol.work.JobContext;
import io.tensorlink.chain.pol.work.LocalPipeline;
import io.tensorlink.chain.pol.work.PolFixture;
import io.tensorlink.chain.store.NodeStore;
import io.tensorlink.chain.store.RecordKey;
import io.tensorlink.chain.store.StoreBatch;
import io.tensorlink.chain.store.StoredEntry;
import io.tensorlink.chain.validator.p2p.GossipPolTransport;
import io.tensorlink.compute.backend.CpuBackend;
import io.tensorlink.p2p.crypto.KeyType;
import io.tensorlink.p2p.crypto.Keys;
import io.tensorlink.p2p.multiaddr.Multiaddr;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Credentials;

/** The client's record copy on a real RocksDB store, with records the real engine produced and signed. */
class ClientRecordsTest {
  private static final Credentials STANDBY = TestKeys.ANVIL.get(5);

  /** Steps 0 and 1 of every cell, trained and signed by the real engine. */
  private static List<SignedStepRecord> twoHonestSteps(final JobContext job) {
    try (CpuBackend cpu = CpuBackend.withThreads(1)) {
      return new LocalPipeline(job, cpu, PolFixture.keys(), LocalPipeline.HONEST).runThrough(1);
    }
  }

  /** The job's assignment with {@link #STANDBY} as its standby. */
  private static Assignment withStandby(final Assignment a) {
    return new Assignment(a.jobId(), a.randomness(), a.stages(), a.replicas(), a.workers(),
        List.of(EthAddress.of(STANDBY.getAddress())));
  }

  @Test
  void keepsItsJobsSignedRecordsAndNothingElseAndAStandbysRedoReplacesTheGoneWorkers(@TempDir final Path dir) {
    final JobContext job = PolFixture.job(2, 1);
    final List<SignedStepRecord> records = twoHonestSteps(job);
    final Credentials standby = STANDBY;
    final Assignment withStandby = withStandby(job.assignment());
    try (NodeStore store = NodeStore.open(dir)) {
      final ClientRecords kept = new ClientRecords(store, TestKeys.DOMAIN);
      for (final SignedStepRecord r : records) {
        assertThat(kept.keep(withStandby, wire(r))).isTrue();
      }
      assertThat(store.records(job.jobId(), 0, 2)).hasSize(records.size());
      // what tl_jobRecords answers from a client's node, which follows no job as a validator does
      assertThat(StoredJobRecords.read(store, job.jobId(), 0, 2, 2)).hasValueSatisfying(j ->
          assertThat(j.records()).hasSize(records.size()));
      assertThat(StoredJobRecords.read(store, BigInteger.TEN, 0, 2, 2)).as("a job it holds nothing of").isEmpty();

      final SignedStepRecord first = records.get(0);
      final byte[] tampered = wire(first);
      tampered[tampered.length - 2] ^= 1; // inside the signature
      assertThat(kept.keep(withStandby, tampered)).as("a broken signature").isFalse();
      assertThat(kept.keep(withStandby, new byte[] {1, 2, 3})).as("not a record").isFalse();
      final Assignment a = job.assignment();
      final Assignment otherJob = new Assignment(BigInteger.TWO, a.randomness(), a.stages(), a.replicas(), a.workers(),
          a.standbys());
      assertThat(kept.keep(otherJob, wire(first))).as("another job's").isFalse();
      final StepRecord r = first.record();
      final Credentials outsider = TestKeys.ANVIL.get(4);
      assertThat(kept.keep(withStandby, wire(SignedStepRecord.sign(as(r, outsider), TestKeys.DOMAIN, outsider))))
          .as("signed by a worker the job did not assign").isFalse();
      assertThat(store.records(job.jobId(), 0, 2)).extracting(StoredEntry::value).noneMatch(v -> v.length == 3);

      // the standby took the cell over and redid the step: its record replaces the gone worker's
      final byte[] redo = wire(SignedStepRecord.sign(as(r, standby), TestKeys.DOMAIN, standby));
      assertThat(kept.keep(withStandby, redo)).isTrue();
      assertThat(store.record(key(r)))
          .hasValueSatisfying(v -> assertThat(v).isEqualTo(redo));
      assertThat(store.records(job.jobId(), 0, 2)).hasSize(records.size());
    }
  }

  @Test
  void aClientThatWasAwayFetchesTheRecordsItMissedAndKeepsWhatItHas(@TempDir final Path dir) throws Exception {
    final JobContext job = PolFixture.job(2, 1);
    final List<SignedStepRecord> records = twoHonestSteps(job);
    final Credentials standby = STANDBY;
    final Assignment withStandby = withStandby(job.assignment());
    // a peer that kept the job's records (as a validator or a worker does) serves them on /tl/records/1.0.0
    try (StandaloneNode holder = StandaloneNode.start(config(dir.resolve("holder"), TestKeys.ANVIL.get(0), List.of()))) {
      final StoreBatch held = new StoreBatch();
      records.forEach(r -> held.putRecord(key(r.record()), wire(r)));
      holder.store().commit(held);
      try (StandaloneNode client = StandaloneNode.start(config(dir.resolve("client"), TestKeys.ANVIL.get(1),
              holder.listenAddresses()));
          GossipPolTransport peers = new GossipPolTransport(client.host(), client.gossip())) {
        final long deadline = System.nanoTime() + 20_000_000_000L;
        while (client.host().connections().isEmpty() && System.nanoTime() < deadline) {
          Thread.sleep(50);
        }
        final ClientRecords kept = new ClientRecords(client.store(), TestKeys.DOMAIN);
        // before it went away, gossip brought one record: the standby's redo of the first cell's step 0
        final StepRecord first = records.get(0).record();
        final byte[] redo = wire(SignedStepRecord.sign(as(first, standby), TestKeys.DOMAIN, standby));
        assertThat(kept.keep(withStandby, redo)).isTrue();

        assertThat(kept.catchUp(job.spec(), withStandby, peers)).isEqualTo(records.size() - 1);
        assertThat(client.store().records(job.jobId(), 0, 2)).hasSize(records.size());
        assertThat(client.store().record(key(first))).as("what it had is not replaced").hasValueSatisfying(v ->
            assertThat(v).isEqualTo(redo));
        assertThat(kept.catchUp(job.spec(), withStandby, peers)).as("nothing missing any more").isZero();
      }
    }
  }

  private static NodeConfig config(final Path dir, final Credentials account, final List<Multiaddr> bootstrap) {
    return new NodeConfig(dir, EnumSet.of(Role.CLIENT), Keys.generate(KeyType.ED25519),
        Multiaddr.parse("/ip4/127.0.0.1/tcp/0"), bootstrap, new InetSocketAddress("127.0.0.1", 0), Optional.empty(),
        Optional.of(new NodeIdentity(account, 7701, TestKeys.DOMAIN)), Map.of(), Duration.ofMillis(300));
  }

  private static RecordKey key(final StepRecord r) {
    return new RecordKey(r.jobId(), r.step(), r.stage(), r.replica());
  }

  private static byte[] wire(final SignedStepRecord r) {
    return PolCodec.encode(r).toArray();
  }

  /** The same record, naming another worker. */
  private static StepRecord as(final StepRecord r, final Credentials worker) {
    return new StepRecord(r.jobId(), r.step(), r.stage(), r.replica(), r.stages(), r.replicas(),
        EthAddress.of(worker.getAddress()), r.batchCommitment(), r.paramsBefore(), r.optStateBefore(), r.actIn(),
        r.actOut(), r.gradIn(), r.gradOut(), r.gradRoot(), r.reduceRoot(), r.paramsAfter(), r.optStateAfter(),
        r.lossBits());
  }
}
