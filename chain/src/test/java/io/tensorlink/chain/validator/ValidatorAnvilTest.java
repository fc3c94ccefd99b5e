package io.tensorlink.chain.validator;

import static io.tensorlink.chain.validator.Worker.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tensorlink.chain.pol.EthAddress;
import io.tensorlink.chain.store.BlockKey;
import io.tensorlink.chain.validator.suite.Eip712Signer;
import io.tensorlink.chain.validator.suite.SuiteAnchorClient;
import io.tensorlink.p2p.pubsub.ReceivedMessage;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Credentials;
import org.web3j.utils.Numeric;

/**
 * Three validators in one JVM, each with its own RocksDB directory and its own libp2p host on
 * loopback (TCP + Noise + yamux + gossipsub), following a real anvil running the v2 suite through
 * eth_getLogs, and anchoring pol-core {@code PoLHeader}s (chain randomness checked by the anchor)
 * through {@code PoLAnchor.submit}. The protocol (record form,
 * header building, verification) is {@link TestProtocol}'s stand-in for pol-core's.
 */
class ValidatorAnvilTest {
  // a leader waits a second after its records before taking randomness, as the node does by default
  // (--record-slack): the others' copies of the records arrive in time to accept its header
  static final ValidatorConfig CONFIG = ValidatorConfig.defaults()
      .withRecordSlack(Duration.ofSeconds(1))
      .withConfirmations(0)
      .withLeaderTimeout(Duration.ofSeconds(2))
      .withSubmitGrace(Duration.ofSeconds(1))
      .withActiveSetRefresh(Duration.ofSeconds(5));
  private static final Duration ANCHOR_WAIT = Duration.ofSeconds(60);

  @AutoClose private static AnvilSuite chain;
  private static Credentials client;
  private static List<Credentials> validatorAccounts;
  private static Credentials stage0;
  private static Credentials stage1;

  @TempDir Path dir;
  private final List<ValidatorNode> nodes = new ArrayList<>();
  private Worker worker;

  @BeforeAll
  static void stakeEveryone() throws Exception {
    chain = AnvilSuite.start();
    client = chain.account(0);
    validatorAccounts = List.of(chain.account(1), chain.account(2), chain.account(3));
    stage0 = chain.account(4);
    stage1 = chain.account(5);
    for (final Credentials v : validatorAccounts) {
      chain.stakeValidator(v);
    }
    chain.stake(stage0, AnvilSuite.tl(1_000));
    chain.stake(stage1, AnvilSuite.tl(1_000));
    // Validators registered in epoch e sign from epoch e+1.
    chain.advanceTime(3_600);
  }

  @AfterEach
  void stopNetwork() {
    nodes.forEach(ValidatorNode::close);
    if (worker != null) {
      worker.close();
    }
  }

  @Test
  void threeValidatorsReachQuorumAndAnchorConsecutiveBlocks() throws Exception {
    network();
    nodes.forEach(ValidatorNode::startValidator);
    final BigInteger jobId = chain.createAssignedJob(client, List.of(stage0, stage1));
    worker.awaitSubscribers(jobId, 3);

    worker.publishSteps(jobId, stage0, stage1, 0, 8, -1);
    awaitAnchored(jobId, 2);

    final byte[] head = chain.suite(client).anchor().head(jobId).send().component1();
    for (final ValidatorNode n : nodes) {
      await(() -> n.store().block(new BlockKey(jobId, 1)).map(BlockEntry::decode)
          .filter(b -> b.status() == BlockEntry.Status.ANCHORED).isPresent(), ANCHOR_WAIT, n.address() + " sees block 1 anchored");
      assertThat(BlockEntry.decode(n.store().block(new BlockKey(jobId, 1)).orElseThrow()).blockHash()).isEqualTo(head);
    }
    for (long index = 0; index < 2; index++) {
      final BlockKey key = new BlockKey(jobId, index);
      final byte[] anchored = BlockEntry.decode(nodes.get(0).store().block(key).orElseThrow()).blockHash();
      final long signed = nodes.stream().filter(n -> n.store().signedHash(key).isPresent()).count();
      assertThat(signed).as("validators that signed block %d", index).isGreaterThanOrEqualTo(2);
      nodes.stream().flatMap(n -> n.store().signedHash(key).stream())
          .forEach(h -> assertThat(h).as("every guard holds the anchored header").isEqualTo(anchored));
    }
    assertThat(validatorOf(nodes.get(0), jobId).nextStep()).isEqualTo(8);
    final io.tensorlink.chain.follow.SuiteChainEvents events =
        new io.tensorlink.chain.follow.SuiteChainEvents(chain.web3j(), chain.deployment());
    final byte[] checkpoint = events.events(0, events.head()).stream()
        .filter(e -> e instanceof io.tensorlink.chain.follow.ChainEvent.BlockAnchored a && a.jobId().equals(jobId) && a.index() == 1)
        .map(e -> ((io.tensorlink.chain.follow.ChainEvent.BlockAnchored) e).checkpointRoot())
        .findFirst().orElseThrow();
    assertThat(nodes.get(0).store().checkpoint(new io.tensorlink.chain.store.CheckpointKey(jobId, 7)))
        .as("the anchored checkpoint after step 7").hasValueSatisfying(c -> assertThat(c).isEqualTo(checkpoint));
  }

  @Test
  void whenTheLeaderIsDownTheNextInTheScheduleTakesOverAfterTheTimeout() throws Exception {
    network();
    final BigInteger jobId = chain.createAssignedJob(client, List.of(stage0, stage1));
    final ValidatorSet set = new SuiteAnchorClient(chain.suite(client), chain.web3j()).activeSet();
    final String leader0 = LeaderSchedule.leader(set, jobId, 0, 0);
    final String leader1 = LeaderSchedule.leader(set, jobId, 0, 1);
    final ValidatorNode down = nodes.stream().filter(n -> n.address().equals(leader0)).findFirst().orElseThrow();
    nodes.stream().filter(n -> n != down).forEach(ValidatorNode::startValidator);
    worker.awaitSubscribers(jobId, 2);

    final long published = System.nanoTime();
    worker.publishSteps(jobId, stage0, stage1, 0, 4, -1);
    awaitAnchored(jobId, 1);
    final Duration took = Duration.ofNanos(System.nanoTime() - published);

    assertThat(took).as("round 0 had to time out first").isGreaterThanOrEqualTo(CONFIG.leaderTimeout());
    final ValidatorNode next = nodes.stream().filter(n -> n.address().equals(leader1)).findFirst().orElseThrow();
    final byte[] anchored = chain.suite(client).anchor().head(jobId).send().component1();
    assertThat(next.store().signedHash(new BlockKey(jobId, 0))).hasValueSatisfying(h -> assertThat(h).isEqualTo(anchored));
    assertThat(down.running()).isFalse();
  }

  @Test
  void aValidatorRestartedMidJobCatchesUpFromItsStoreAndSignsAgain() throws Exception {
    network();
    nodes.forEach(ValidatorNode::startValidator);
    final BigInteger jobId = chain.createAssignedJob(client, List.of(stage0, stage1));
    worker.awaitSubscribers(jobId, 3);
    worker.publishSteps(jobId, stage0, stage1, 0, 4, -1);
    awaitAnchored(jobId, 1);

    final ValidatorNode restarted = nodes.get(2);
    restarted.stopValidator();
    worker.publishSteps(jobId, stage0, stage1, 4, 8, -1);
    awaitAnchored(jobId, 2);

    restarted.startValidator();
    await(() -> validatorOf(restarted, jobId).nextIndex() == 2, ANCHOR_WAIT, "the restarted validator catches up");
    assertThat(restarted.store().signedHash(new BlockKey(jobId, 0))).as("its guard survived the restart").isPresent();
    assertThat(restarted.store().signedHash(new BlockKey(jobId, 1))).as("it was down for block 1").isEmpty();
    Thread.sleep(500); // let its re-subscription reach the worker
    worker.awaitSubscribers(jobId, 3);

    // It signs again, and within a few blocks its signature is on an anchored header. Right after the
    // restart its copy of a block's records can arrive a chain block after the leader's: the
    // randomness rule then makes it refuse (or lead with its own header) while the other two anchor.
    boolean counted = false;
    for (long index = 2; index < 6 && !counted; index++) {
      final long block = index;
      worker.publishSteps(jobId, stage0, stage1, 4 * block, 4 * block + 4, -1);
      awaitAnchored(jobId, block + 1);
      final byte[] anchored = chain.suite(client).anchor().head(jobId).send().component1();
      await(() -> validatorOf(restarted, jobId).nextIndex() > block, ANCHOR_WAIT, "the restarted validator follows block " + block);
      counted = restarted.store().signedHash(new BlockKey(jobId, block)).map(h -> java.util.Arrays.equals(h, anchored))
          .orElse(false);
    }
    assertThat(counted).as("a signature of the restarted validator is on an anchored header").isTrue();
  }

  @Test
  void fraudIsRefusedByEveryLeaderAndChallengedWhenOthersAnchorItAnyway() throws Exception {
    network();
    final ConcurrentLinkedQueue<ReceivedMessage> pol = new ConcurrentLinkedQueue<>();
    worker.gossip.subscribe(PolTransport.POL_TOPIC, pol::add).join();
    nodes.forEach(ValidatorNode::startValidator);
    final BigInteger jobId = chain.createAssignedJob(client, List.of(stage0, stage1));
    worker.awaitSubscribers(jobId, 3);

    worker.publishSteps(jobId, stage0, stage1, 0, 4, 2);
    final ValidatorNode any = nodes.get(0);
    await(() -> any.store().records(jobId, 0, 4).size() == 8, ANCHOR_WAIT, "the records");
    // Leaders of rounds 0 and 1 try to build block 0, find the fraud and propose nothing.
    Thread.sleep(CONFIG.leaderTimeout().toMillis() * 3 / 2);
    assertThat(pol).as("no proposal or attestation for a block with a fraudulent record").isEmpty();
    assertThat(nodes).allMatch(n -> n.store().signedHash(new BlockKey(jobId, 0)).isEmpty());

    // Two validators' keys collude outside the protocol and anchor a header over those records.
    final TestProtocol protocol = new TestProtocol();
    final JobState job = any.store().job(new io.tensorlink.chain.store.JobKey(jobId)).map(JobState::decode).orElseThrow();
    final SuiteAnchorClient anchor = new SuiteAnchorClient(chain.suite(client), chain.web3j());
    final BlockCandidate header = protocol.build(job, 0, new byte[32], 0, any.store().records(jobId, 0, 4),
        anchor.recentRandomness()).orElseThrow();
    final List<byte[]> signatures = validatorAccounts.stream()
        .sorted(java.util.Comparator.comparing(c -> new BigInteger(1, EthAddress.bytes(c.getAddress()))))
        .limit(2)
        .map(c -> new Eip712Signer(c, chain.suite(c).polDomain()).sign(header.blockHash()))
        .toList();
    anchor.submit(header, signatures);

    await(() -> nodes.stream().anyMatch(n -> !n.disputes.challenges.isEmpty()), ANCHOR_WAIT, "a challenge of the anchored fraud");
    for (final ValidatorNode n : nodes) {
      for (final RecordingDisputes.Challenge c : n.disputes.challenges) {
        assertThat(c.record().step()).isEqualTo(2);
        assertThat(c.record().stage()).isEqualTo(1);
        assertThat(c.block()).isEqualTo(new BlockKey(jobId, 0));
        assertThat(c.blockHash()).isEqualTo(header.blockHash());
      }
    }
  }

  @Test
  void neverSignsTwoHeadersForOneBlockNotEvenAfterARestart() throws Exception {
    final BigInteger jobId = chain.createAssignedJob(client, List.of(stage0, stage1));
    final Credentials me = validatorAccounts.get(0);
    final String myAddress = EthAddress.lower(me.getAddress());
    final AtomicLong now = new AtomicLong();
    final ValidatorConfig config = CONFIG.withActiveSetRefresh(Duration.ZERO);
    final ValidatorNode node = new ValidatorNode(chain, me, dir.resolve("guarded"), config);
    nodes.add(node);
    final TestProtocol protocol = new TestProtocol();
    final BlockKey key = new BlockKey(jobId, 0);

    final RecordingTransport wire = new RecordingTransport();
    byte[] h1Hash;
    byte[] h2Hash;
    final byte[] h2Proposal;
    try (io.tensorlink.chain.store.NodeStore store = io.tensorlink.chain.store.NodeStore.open(node.dataDir)) {
      final Validator v = node.build(store, wire, now::get);
      v.start();
      v.tick();
      for (long step = 0; step < 4; step++) {
        v.onStepRecord(jobId, TestProtocol.record(jobId, step, 0, stage0.getAddress(), "s0@" + step));
        v.onStepRecord(jobId, TestProtocol.record(jobId, step, 1, stage1.getAddress(), "s1@" + step));
      }
      // Two different valid headers for block 0, proposed by the two other validators, both over
      // randomness mined after this node had the records (the tick marked them complete at <= ready).
      final long ready = chain.head();
      v.tick();
      chain.awaitBlock(ready + 5);
      final JobState job = v.job(jobId).orElseThrow();
      final BlockCandidate h1 = protocol.build(job, 0, new byte[32], 0, store.records(jobId, 0, 4), randomnessAt(ready + 4))
          .orElseThrow();
      final BlockCandidate h2 = protocol.build(job, 0, new byte[32], 0, store.records(jobId, 0, 4), randomnessAt(ready + 5))
          .orElseThrow();
      h1Hash = h1.blockHash();
      h2Hash = h2.blockHash();
      assertThat(h1Hash).isNotEqualTo(h2Hash);
      v.onPolMessage(proposal(h1, validatorAccounts.get(1)));
      h2Proposal = proposal(h2, validatorAccounts.get(2));
      v.onPolMessage(h2Proposal);
      v.onPolMessage(h2Proposal);

      assertThat(wire.attestationsBy(myAddress)).isNotEmpty()
          .allSatisfy(a -> assertThat(a.blockHash().toArray()).isEqualTo(h1.blockHash()));
      assertThat(store.signedHash(key)).hasValueSatisfying(h -> assertThat(h).isEqualTo(h1.blockHash()));
      assertThatThrownBy(() -> store.commit(new io.tensorlink.chain.store.StoreBatch().guardSignature(key, h2.blockHash())))
          .isInstanceOf(io.tensorlink.chain.store.DoubleSignException.class);
      v.close();
    }

    // Restarted on the same store: h2 again, and every round in which it leads block 0.
    final RecordingTransport after = new RecordingTransport();
    try (io.tensorlink.chain.store.NodeStore store = io.tensorlink.chain.store.NodeStore.open(node.dataDir)) {
      final Validator v = node.build(store, after, now::get);
      v.start();
      v.tick();
      v.onPolMessage(h2Proposal);
      // what a Besu proposer's selector reads (Validator.refusal), kept across the restart by the guard
      assertThat(v.refusal(jobId, 0, h2Hash)).hasValue("already signed " + Numeric.toHexString(h1Hash));
      for (int round = 0; round < 4; round++) {
        now.addAndGet(config.leaderTimeout().toMillis());
        v.tick();
      }
      assertThat(after.attestationsBy(myAddress)).as("after the restart it only re-sends its h1 attestation")
          .allSatisfy(a -> assertThat(a.blockHash().toArray()).isEqualTo(h1Hash));
      assertThat(after.published).filteredOn(m -> m instanceof PolMessage.Proposal)
          .allSatisfy(m -> assertThat(((PolMessage.Proposal) m).proposer().blockHash().toArray()).isEqualTo(h1Hash));
      assertThat(store.attestations(key, h2Hash)).noneMatch(e -> Numeric.toHexString(e.key().validator()).equals(myAddress));
      assertThat(store.signedHash(key)).hasValueSatisfying(h -> assertThat(h).isEqualTo(h1Hash));
      // Leading a round, it re-proposed h1 and, holding 2 of 3 signatures, anchored it.
      assertThat(chain.suite(client).anchor().head(jobId).send().component1()).isEqualTo(h1Hash);
      v.close();
    }
  }

  @Test
  void attestsOnlyToRandomnessMinedAfterItsRecordsAndStillFresh() throws Exception {
    final BigInteger jobId = chain.createAssignedJob(client, List.of(stage0, stage1));
    final Credentials me = validatorAccounts.get(0);
    final String myAddress = EthAddress.lower(me.getAddress());
    final ValidatorConfig config = CONFIG.withRandomnessWindow(3);
    final ValidatorNode node = new ValidatorNode(chain, me, dir.resolve("rule"), config);
    nodes.add(node);
    final TestProtocol protocol = new TestProtocol();
    final RecordingTransport wire = new RecordingTransport();
    try (io.tensorlink.chain.store.NodeStore store = io.tensorlink.chain.store.NodeStore.open(node.dataDir)) {
      final Validator v = node.build(store, wire, () -> 0L);
      v.start();
      v.tick();
      chain.awaitBlock(chain.head() + 2); // randomness mined before its start is judged otherwise (the next test)
      final long before = chain.head();
      for (long step = 0; step < 4; step++) {
        v.onStepRecord(jobId, TestProtocol.record(jobId, step, 0, stage0.getAddress(), "s0@" + step));
        v.onStepRecord(jobId, TestProtocol.record(jobId, step, 1, stage1.getAddress(), "s1@" + step));
      }
      v.tick(); // the records are complete at chain block >= before
      final JobState job = v.job(jobId).orElseThrow();
      final List<io.tensorlink.chain.store.StoredEntry<io.tensorlink.chain.store.RecordKey>> records = store.records(jobId, 0, 4);

      // mined before this node had the records: a worker could have known the sample
      final BlockCandidate early = protocol.build(job, 0, new byte[32], 0, records, randomnessAt(before - 1)).orElseThrow();
      v.onPolMessage(proposal(early, validatorAccounts.get(1)));
      // mined after them, but more than 3 blocks behind the head by the time it is judged: a leader's pick among many
      final long after = chain.head() + 1;
      chain.awaitBlock(after + config.randomnessWindow() + 1);
      final BlockCandidate stale = protocol.build(job, 0, new byte[32], 0, records, randomnessAt(after)).orElseThrow();
      v.onPolMessage(proposal(stale, validatorAccounts.get(1)));
      assertThat(wire.attestationsBy(myAddress)).as("no attestation for either").isEmpty();
      assertThat(store.signedHash(new BlockKey(jobId, 0))).isEmpty();
      // what a Besu proposer's selector reads (Validator.refusal): each refusal with its reason
      assertThat(v.refusal(jobId, 0, early.blockHash())).hasValueSatisfying(r -> assertThat(r)
          .contains("was mined before this node had every record"));
      assertThat(v.refusal(jobId, 0, stale.blockHash())).hasValueSatisfying(r -> assertThat(r)
          .contains("blocks behind the head"));

      final BlockCandidate fresh = protocol.build(job, 0, new byte[32], 0, records, randomnessAt(chain.head())).orElseThrow();
      v.onPolMessage(proposal(fresh, validatorAccounts.get(2)));
      assertThat(wire.attestationsBy(myAddress)).isNotEmpty()
          .allSatisfy(a -> assertThat(a.blockHash().toArray()).isEqualTo(fresh.blockHash()));
      assertThat(store.signedHash(new BlockKey(jobId, 0))).hasValueSatisfying(h -> assertThat(h).isEqualTo(fresh.blockHash()));
      assertThat(v.refusal(jobId, 0, fresh.blockHash())).as("an attested header is not refused").isEmpty();
      assertThat(v.refusal(jobId, 1, fresh.blockHash())).as("nor one it never saw").isEmpty();
      v.close();
    }
  }

  @Test
  void aHeaderWithRandomnessFromBeforeItStartedIsSignedOnceMoreThanAThirdOfTheStakeVouchesForIt() throws Exception {
    final BigInteger jobId = chain.createAssignedJob(client, List.of(stage0, stage1));
    final long mined = chain.head();
    chain.awaitBlock(mined + 2);
    // Not round 0's leader, so that it does not propose a header of its own while the test holds the clock.
    final List<Credentials> others = notLeadingFirst(jobId);
    final Credentials me = others.remove(0);
    final String myAddress = EthAddress.lower(me.getAddress());
    final ValidatorNode node = new ValidatorNode(chain, me, dir.resolve("late"), CONFIG.withRandomnessWindow(256));
    nodes.add(node);
    final TestProtocol protocol = new TestProtocol();
    final RecordingTransport wire = new RecordingTransport();
    final AtomicLong now = new AtomicLong();
    try (io.tensorlink.chain.store.NodeStore store = io.tensorlink.chain.store.NodeStore.open(node.dataDir)) {
      final Validator v = node.build(store, wire, now::get);
      v.start();
      v.tick();
      v.onStepRecord(jobId, TestProtocol.record(jobId, 0, 0, stage0.getAddress(), "s0@0"));
      final JobState job = v.job(jobId).orElseThrow();
      // A header built elsewhere, over records this node has not all seen: it asks its peers for the block.
      final List<io.tensorlink.chain.store.StoredEntry<io.tensorlink.chain.store.RecordKey>> all = new ArrayList<>();
      for (long step = 0; step < 4; step++) {
        all.add(new io.tensorlink.chain.store.StoredEntry<>(new io.tensorlink.chain.store.RecordKey(jobId, step, 0, 0),
            TestProtocol.record(jobId, step, 0, stage0.getAddress(), "s0@" + step)));
        all.add(new io.tensorlink.chain.store.StoredEntry<>(new io.tensorlink.chain.store.RecordKey(jobId, step, 1, 0),
            TestProtocol.record(jobId, step, 1, stage1.getAddress(), "s1@" + step)));
      }
      final BlockCandidate header = protocol.build(job, 0, new byte[32], 0, all, randomnessAt(mined)).orElseThrow();
      // (the other tests' jobs are still active on this chain: only this one's requests count)
      assertThat(wire.fetched).noneMatch(r -> r.jobId().equals(jobId));
      v.onPolMessage(proposal(header, others.get(0)));
      v.tick();
      assertThat(wire.fetched).as("a header was proposed: the others hold the records")
          .filteredOn(r -> r.jobId().equals(jobId)).containsExactly(new RecordingTransport.BlockRange(jobId, 0, 4));
      v.tick();
      assertThat(wire.fetched).as("at most once per leader timeout").filteredOn(r -> r.jobId().equals(jobId)).hasSize(1);
      now.addAndGet(CONFIG.leaderTimeout().toMillis());
      v.tick();
      assertThat(wire.fetched).filteredOn(r -> r.jobId().equals(jobId)).hasSize(2);

      all.forEach(e -> v.onStepRecord(jobId, e.value()));
      v.tick();
      // Its randomness was mined before this node started: one signer of three is not enough to trust its timing,
      // and the header is neither signed nor refused.
      assertThat(wire.attestationsBy(myAddress)).isEmpty();
      assertThat(v.refusal(jobId, 0, header.blockHash())).isEmpty();
      final io.tensorlink.chain.pol.Attestation second = new Eip712Signer(others.get(1),
          chain.suite(others.get(1)).polDomain()).attest(header.blockHash(), List.of());
      v.onPolMessage(new PolMessage.Vote(jobId, 0, second).encode());
      v.tick();
      assertThat(wire.attestationsBy(myAddress)).as("two of three vouch for it").isNotEmpty()
          .allSatisfy(a -> assertThat(a.blockHash().toArray()).isEqualTo(header.blockHash()));
      v.close();
    }
  }

  @Test
  void aBlockCompletedWithFetchedRecordsLeavesTheRandomnessRuleToMoreThanAThirdOfTheStake() throws Exception {
    final BigInteger jobId = chain.createAssignedJob(client, List.of(stage0, stage1));
    final List<Credentials> others = notLeadingFirst(jobId);
    final Credentials me = others.remove(0);
    final ValidatorNode node = new ValidatorNode(chain, me, dir.resolve("fetching"), CONFIG);
    nodes.add(node);
    final TestProtocol protocol = new TestProtocol();
    final RecordingTransport wire = new RecordingTransport();
    try (io.tensorlink.chain.store.NodeStore store = io.tensorlink.chain.store.NodeStore.open(node.dataDir)) {
      final Validator v = node.build(store, wire, () -> 0L);
      v.start();
      v.tick();
      chain.awaitBlock(chain.head() + 2); // everything below happens after its start
      final List<io.tensorlink.chain.store.StoredEntry<io.tensorlink.chain.store.RecordKey>> all = new ArrayList<>();
      for (long step = 0; step < 4; step++) {
        for (int stage = 0; stage < 2; stage++) {
          final byte[] record = TestProtocol.record(jobId, step, stage, (stage == 0 ? stage0 : stage1).getAddress(),
              "s" + stage + "@" + step);
          all.add(new io.tensorlink.chain.store.StoredEntry<>(new io.tensorlink.chain.store.RecordKey(jobId, step, stage, 0),
              record));
          if (stage == 0) {
            v.onStepRecord(jobId, record); // gossip brings stage 0's records only
          } else {
            wire.peersHold.add(record);
          }
        }
      }
      final JobState job = v.job(jobId).orElseThrow();
      final BlockCandidate header = protocol.build(job, 0, new byte[32], 0, all, randomnessAt(chain.head())).orElseThrow();
      chain.awaitBlock(chain.head() + 2);
      v.onPolMessage(proposal(header, others.get(0)));
      v.tick(); // the proposal makes it ask its peers, and the answer completes the block: after the randomness
      assertThat(wire.fetched).filteredOn(r -> r.jobId().equals(jobId)).isNotEmpty();
      assertThat(store.records(jobId, 0, 4)).hasSize(8);
      // Gossip never brought those records, so their arrival here says nothing of their publication:
      // not refused under the randomness rule, signed once more than a third of the stake vouches.
      assertThat(v.refusal(jobId, 0, header.blockHash())).isEmpty();
      assertThat(wire.attestationsBy(EthAddress.lower(me.getAddress()))).isEmpty();
      final io.tensorlink.chain.pol.Attestation second = new Eip712Signer(others.get(1),
          chain.suite(others.get(1)).polDomain()).attest(header.blockHash(), List.of());
      v.onPolMessage(new PolMessage.Vote(jobId, 0, second).encode());
      v.tick();
      assertThat(wire.attestationsBy(EthAddress.lower(me.getAddress()))).isNotEmpty()
          .allSatisfy(a -> assertThat(a.blockHash().toArray()).isEqualTo(header.blockHash()));
      v.close();
    }
  }

  @Test
  void anAttestationStoredInTheOlderFormIsSkippedAndItsGuardedHeaderSignedAgain() throws Exception {
    final BigInteger jobId = chain.createAssignedJob(client, List.of(stage0, stage1));
    final Credentials me = validatorAccounts.get(0);
    final String myAddress = EthAddress.lower(me.getAddress());
    final ValidatorNode node = new ValidatorNode(chain, me, dir.resolve("older"), CONFIG);
    nodes.add(node);
    final TestProtocol protocol = new TestProtocol();
    final RecordingTransport wire = new RecordingTransport();
    final BlockKey key = new BlockKey(jobId, 0);
    try (io.tensorlink.chain.store.NodeStore store = io.tensorlink.chain.store.NodeStore.open(node.dataDir)) {
      final Validator v = node.build(store, wire, () -> 0L);
      v.start();
      v.tick();
      for (long step = 0; step < 4; step++) {
        v.onStepRecord(jobId, TestProtocol.record(jobId, step, 0, stage0.getAddress(), "s0@" + step));
        v.onStepRecord(jobId, TestProtocol.record(jobId, step, 1, stage1.getAddress(), "s1@" + step));
      }
      final long before = chain.head();
      v.tick();
      chain.awaitBlock(before + 3);
      final BlockCandidate header = protocol.build(v.job(jobId).orElseThrow(), 0, new byte[32], 0, store.records(jobId, 0, 4),
          randomnessAt(before + 3)).orElseThrow();
      // what a node of the previous version left: guard, signed header, its attestation in the old form
      final byte[] oldForm = Rlp.encodeList(w -> {
        w.writeBigInteger(jobId);
        w.writeLong(0);
        w.writeByteArray(header.blockHash());
        w.writeByteArray(EthAddress.bytes(myAddress));
        w.writeByteArray(new Eip712Signer(me, chain.suite(me).polDomain()).sign(header.blockHash()));
        w.writeList(List.<byte[]>of(), (lw, leaf) -> lw.writeByteArray(leaf));
      });
      store.commit(new io.tensorlink.chain.store.StoreBatch().guardSignature(key, header.blockHash())
          .putBlock(key, BlockEntry.signed(header).encode())
          .putAttestation(new io.tensorlink.chain.store.AttestationKey(key, header.blockHash(), EthAddress.bytes(myAddress)), oldForm));

      v.onPolMessage(proposal(header, validatorAccounts.get(1)));
      assertThat(wire.attestationsBy(myAddress)).as("it signs the header its guard holds again, in pol-core's form")
          .isNotEmpty().allSatisfy(a -> {
            assertThat(a.blockHash().toArray()).isEqualTo(header.blockHash());
            assertThat(new Eip712Signer(me, chain.suite(me).polDomain()).verify(a)).isTrue();
          });
      assertThat(store.attestations(key, header.blockHash())).anySatisfy(e -> assertThat(
          PolMessage.attestation(org.apache.tuweni.bytes.Bytes.wrap(e.value())).validator().toString()).isEqualToIgnoringCase(myAddress));
      assertThat(store.signedHash(key)).hasValueSatisfying(h -> assertThat(h).isEqualTo(header.blockHash()));
      v.close();
    }
  }

  /** Chain block {@code number} as header randomness (the anchor checks it is that block's hash). */
  /** The validators, first one that does not lead round 0 of the job's block 0, then the two others. */
  private static List<Credentials> notLeadingFirst(final BigInteger jobId) throws Exception {
    final String leader0 = LeaderSchedule.leader(new SuiteAnchorClient(chain.suite(client), chain.web3j()).activeSet(), jobId, 0, 0);
    final List<Credentials> all = new ArrayList<>(validatorAccounts);
    final Credentials first = all.stream().filter(c -> !EthAddress.lower(c.getAddress()).equals(leader0)).findFirst().orElseThrow();
    all.remove(first);
    all.add(0, first);
    return all;
  }

  private static ChainRandomness randomnessAt(final long number) {
    return new ChainRandomness(number,
        new io.tensorlink.chain.follow.SuiteChainEvents(chain.web3j(), chain.deployment()).blockHash(number).orElseThrow());
  }

  private static byte[] proposal(final BlockCandidate header, final Credentials proposer) {
    final io.tensorlink.chain.pol.Attestation att = new Eip712Signer(proposer, chain.suite(proposer).polDomain())
        .attest(header.blockHash(), List.of());
    return new PolMessage.Proposal(header.encoded(), att).encode();
  }

  private void network() {
    for (int i = 0; i < 3; i++) {
      nodes.add(new ValidatorNode(chain, validatorAccounts.get(i), dir.resolve("validator-" + i), CONFIG));
    }
    nodes.get(0).dial(nodes.get(1));
    nodes.get(1).dial(nodes.get(2));
    nodes.get(2).dial(nodes.get(0));
    worker = new Worker();
    nodes.forEach(worker::dial);
  }

  private static void awaitAnchored(final BigInteger jobId, final long blocks) {
    chain.awaitAnchored(client, jobId, blocks, ANCHOR_WAIT);
  }

  private static JobState validatorOf(final ValidatorNode node, final BigInteger jobId) {
    return node.store().job(new io.tensorlink.chain.store.JobKey(jobId)).map(JobState::decode).orElseThrow();
  }
}
