package io.tensorlink.chain.validator;

import static io.tensorlink.chain.validator.Worker.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tensorlink.chain.pol.PolDomain;
import io.tensorlink.chain.pol.EthAddress;
import io.tensorlink.chain.store.BlockKey;
import io.tensorlink.chain.store.DutyKey;
import io.tensorlink.chain.store.JobKey;
import io.tensorlink.chain.store.NodeStore;
import io.tensorlink.chain.store.RecordKey;
import io.tensorlink.chain.store.StoredEntry;
import io.tensorlink.chain.validator.dispute.ChallengeEvidence;
import io.tensorlink.chain.validator.dispute.ChallengeState;
import io.tensorlink.chain.validator.dispute.CourtRejectedException;
import io.tensorlink.chain.validator.dispute.DisputeStatus;
import io.tensorlink.chain.validator.dispute.DisputeView;
import io.tensorlink.chain.validator.pol.SignedRecordInspector;
import io.tensorlink.chain.validator.suite.AnchoredHeaders;
import io.tensorlink.chain.validator.suite.SuiteDisputeClient;
import io.tensorlink.contracts.ContractSuite;
import io.tensorlink.contracts.SuiteContract;
import io.tensorlink.contracts.generated.DisputeCourt;
import io.tensorlink.contracts.pol.PayoutTree;
import io.tensorlink.contracts.pol.PoLBlocks;
import io.tensorlink.contracts.revert.ContractRevertException;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.abi.EventEncoder;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.DefaultBlockParameterNumber;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.utils.Numeric;

/**
 * Disputes end to end on a real anvil with the v2 suite: three validators (own RocksDB, own libp2p
 * host, gossipsub on loopback) verify pol-core signed step records, anchor blocks, and take the
 * court's side by themselves through {@link SuiteDisputeClient}. Verification is
 * {@link SignedTestProtocol}'s stand-in (a marked record is fraud; only "obliged" validators find
 * it while verifying a header, every committee member finds it when re-executing). Jobs verify
 * 1 ppm of the records, so no signer is sampled on chain and the committee is the validators
 * other than the challenger.
 */
class DisputeAnvilTest {
  // a leader waits a second after its records before taking randomness, as the node does by default
  // (--record-slack): the finder, which must find the fraud, would otherwise refuse on randomness
  private static final ValidatorConfig CONFIG = ValidatorConfig.defaults()
      .withRecordSlack(Duration.ofSeconds(1))
      .withConfirmations(0)
      .withLeaderTimeout(Duration.ofSeconds(2))
      .withSubmitGrace(Duration.ofSeconds(1))
      .withActiveSetRefresh(Duration.ofSeconds(5));
  private static final Duration WAIT = Duration.ofSeconds(90);

  @AutoClose private static AnvilSuite chain;
  private static Credentials client;
  private static List<Credentials> validators;
  private static List<Credentials> workers;
  private static PolDomain domain;

  @TempDir Path dir;
  private final List<ValidatorNode> nodes = new ArrayList<>();
  private Worker worker;
  private Thread miner;
  private final AtomicBoolean mining = new AtomicBoolean();
  private Credentials stage0;
  private Credentials stage1;

  @BeforeAll
  static void stakeEveryone() throws Exception {
    chain = AnvilSuite.start();
    client = chain.account(0);
    validators = List.of(chain.account(1), chain.account(2), chain.account(3));
    // Each test has its own pair of workers (a slashed worker can no longer be assigned).
    workers = List.of(chain.account(4), chain.account(5), chain.account(7), chain.account(8));
    for (final Credentials v : validators) {
      chain.stakeValidator(v);
    }
    for (final Credentials w : workers) {
      chain.stake(w, AnvilSuite.tl(1_000));
    }
    chain.advanceTime(3_600); // validators registered in epoch e sign from epoch e+1
    domain = PolDomain.of(chain.deployment().chainId(), EthAddress.of(chain.deployment().address(SuiteContract.POL_ANCHOR)));
  }

  @AfterEach
  void stop() throws InterruptedException {
    stopMining();
    nodes.forEach(ValidatorNode::close);
    if (worker != null) {
      worker.close();
    }
  }

  @Test
  void aValidatorDisputesFraudItFoundTheCommitteeVotesAndTheWorkerIsSlashedEvenAcrossARestart() throws Exception {
    stage0 = workers.get(0);
    stage1 = workers.get(1);
    final Credentials finder = validators.get(0);
    network(Set.of(finder.getAddress()));
    final ValidatorNode a = nodes.get(0);
    final long from = chain.web3j().ethBlockNumber().send().getBlockNumber().longValueExact();
    final BigInteger jobId = job();
    final BigInteger stakeBefore = suite(client).stakeManager().stakeOf(stage1.getAddress()).send();

    publishBlock(jobId, 2);
    // The other two (not obliged to re-execute that record) sign and anchor; the finder refuses and, once the block is
    // anchored anyway, commits to a challenge. No block is mined after the commitment yet, so the reveal waits.
    await(() -> challengePhase(a.store(), jobId).filter(p -> p == ChallengeState.Phase.REVEALING).isPresent(), WAIT,
        "the finder's commitment");
    assertThat(a.store().signedHash(new BlockKey(jobId, 0))).as("the finder never signed the fraudulent block").isEmpty();

    // Killed between commit and reveal: the stored phase holds the salt; the restarted node reveals with it.
    a.stopValidator();
    try (NodeStore store = NodeStore.open(a.dataDir)) {
      assertThat(challengePhase(store, jobId)).contains(ChallengeState.Phase.REVEALING);
    }
    a.startValidator();
    startMining();

    final DisputeCourt court = suite(client).court();
    await(() -> disputesOf(jobId).size() == 1, WAIT, "the dispute opened");
    final BigInteger disputeId = disputesOf(jobId).get(0);
    await(() -> status(court, disputeId) == DisputeStatus.FRAUD, WAIT, "a Fraud verdict");
    final DisputeCourt.Dispute d = court.getDispute(disputeId).send();
    assertThat(d.challenger).isEqualToIgnoringCase(finder.getAddress());
    assertThat(d.worker).isEqualToIgnoringCase(stage1.getAddress());
    assertThat(d.step.longValueExact()).isEqualTo(2);
    assertThat(committee(court, disputeId)).as("the committee: the two other validators, both voted fraud")
        .containsExactlyInAnyOrder(EthAddress.lower(validators.get(1).getAddress()), EthAddress.lower(validators.get(2).getAddress()));
    assertThat(d.fraudVotes.intValueExact()).isEqualTo(2);
    assertThat(commitmentsBy(finder.getAddress(), from)).as("one commitment, not re-sent after the restart").isEqualTo(1);
    assertThat(disputesOf(jobId)).as("one dispute, one bond").hasSize(1);
    await(() -> challengePhase(a.store(), jobId).isEmpty(), WAIT, "the finder's challenge duty done");

    // Slashed (10%) and its payout voided; the honest worker of the same block is paid.
    assertThat(suite(client).stakeManager().stakeOf(stage1.getAddress()).send())
        .isEqualTo(stakeBefore.subtract(stakeBefore.divide(BigInteger.TEN)));
    stopMining();
    chain.advanceTime(700);
    final JobState job = a.store().job(new JobKey(jobId)).map(JobState::decode).orElseThrow();
    final PayoutTree payouts = SignedTestProtocol.payouts(job);
    assertThatThrownBy(() -> suite(stage1).escrow().claim(jobId, BigInteger.ZERO, SignedTestProtocol.PAYOUT,
        payouts.proof(stage1.getAddress())).send())
        .isInstanceOfSatisfying(ContractRevertException.class,
            e -> assertThat(e.revert().name()).isEqualTo("JobEscrowPayoutVoided"));
    final TransactionReceipt paid = suite(stage0).escrow().claim(jobId, BigInteger.ZERO, SignedTestProtocol.PAYOUT,
        payouts.proof(stage0.getAddress())).send();
    assertThat(paid.isStatusOK()).isTrue();
  }

  @Test
  void anHonestRecordIsNeverFoundFraudAndRequestedRecordsArePublished() throws Exception {
    stage0 = workers.get(2);
    stage1 = workers.get(3);
    network(Set.of(validators.get(0).getAddress(), validators.get(1).getAddress(), validators.get(2).getAddress()));
    final ValidatorNode a = nodes.get(0);
    final BigInteger jobId = job();
    final BigInteger stakeBefore = suite(client).stakeManager().stakeOf(stage1.getAddress()).send();
    publishBlock(jobId, -1);
    await(() -> a.store().job(new JobKey(jobId)).map(JobState::decode).filter(j -> j.nextIndex() == 1).isPresent(), WAIT,
        "block 0 anchored");
    final JobState job = a.store().job(new JobKey(jobId)).map(JobState::decode).orElseThrow();
    final AnchoredHeaders.Anchored anchored = new AnchoredHeaders(chain.web3j(),
        chain.deployment().address(SuiteContract.POL_ANCHOR), 0).find(new BlockKey(jobId, 0), job.head(), 0).orElseThrow();

    // A data request for a record the validators hold is answered in time.
    final Credentials outsider = chain.account(6);
    final ContractSuite asOutsider = suite(outsider);
    asOutsider.token().approve(chain.deployment().address(SuiteContract.DISPUTE_COURT), AnvilSuite.tl(1_000)).send();
    final TransactionReceipt requested = asOutsider.court().requestData(PoLBlocks.forCourt(anchored.header()), anchored.signers(),
        BigInteger.ONE, BigInteger.ZERO, BigInteger.ZERO).send();
    final BigInteger requestId = DisputeCourt.getDataRequestedEvents(requested).get(0).requestId;
    await(() -> requestStatus(asOutsider.court(), requestId) == 2, WAIT, "the data request answered");

    // An outsider disputes an honest record by hand. A reveal without a commitment is refused, by name.
    final SuiteDisputeClient byHand = new SuiteDisputeClient(asOutsider, chain.web3j());
    final RecordKey honest = new RecordKey(jobId, 1, 1, 0);
    final byte[] wire = a.store().record(honest).orElseThrow();
    final byte[] leaf = SignedTestProtocol.signed(wire).leaf().toArray();
    final List<byte[]> proof = SignedTestProtocol.steps(a.store().records(jobId, 0, 4)).proof(leaf);
    final byte[] salt = new byte[32];
    new SecureRandom().nextBytes(salt);
    final long anchoredIn = chain.web3j().ethBlockNumber().send().getBlockNumber().longValueExact();
    final ChallengeEvidence evidence = new ChallengeEvidence(new BlockKey(jobId, 0), job.head(), 0, honest, wire, proof, salt);
    assertThatThrownBy(() -> byHand.challenge(evidence))
        .isInstanceOfSatisfying(CourtRejectedException.class, e -> {
          assertThat(e.error()).isEqualTo("DisputeCourtNoCommitment");
          assertThat(e.getMessage()).contains("DisputeCourt challenge").contains("DisputeCourtNoCommitment(commitment=0x");
        });
    final byte[] commitment = byHand.commitment(jobId, 0, leaf, salt);
    byHand.commit(commitment);
    assertThat(byHand.commitmentBlock(commitment)).isGreaterThan(anchoredIn);
    chain.advanceTime(1);
    final BigInteger disputeId = byHand.challenge(evidence);
    assertThat(byHand.commitmentBlock(commitment)).isEqualTo(DisputeClient.USED);
    assertThat(byHand.findDispute(jobId, 0, leaf, Optional.of(outsider.getAddress()), 0)).contains(disputeId);
    assertThat(byHand.findDispute(jobId, 0, leaf, Optional.of(client.getAddress()), 0)).isEmpty();
    // The outsider does not draw: the validators waiting for the draw do it themselves after a grace.
    final long drawBlock = byHand.dispute(disputeId).drawBlock();
    while (byHand.dispute(disputeId).head() < drawBlock + DutyRunner.DRAW_GRACE) {
      chain.advanceTime(1);
    }
    await(() -> byHand.dispute(disputeId).status() == DisputeStatus.VOTING, WAIT, "a validator drawing the committee");
    assertThat(byHand.dispute(disputeId).committee()).hasSize(3);
    await(() -> byHand.dispute(disputeId).resolvable(), WAIT, "the committee's votes");
    byHand.resolve(disputeId);
    final DisputeView done = byHand.dispute(disputeId);
    assertThat(done.status()).isEqualTo(DisputeStatus.REJECTED);
    assertThat(done.fraudVotes()).isZero();
    assertThat(done.validVotes()).isGreaterThanOrEqualTo(2);
    assertThat(suite(client).stakeManager().stakeOf(stage1.getAddress()).send()).isEqualTo(stakeBefore);
  }

  @Test
  void aRevealTheCourtRefusesIsGivenUpNamingTheErrorAndTakesNoBond() throws Exception {
    stage0 = workers.get(2);
    stage1 = workers.get(3);
    final Credentials finder = validators.get(0);
    network(Set.of(finder.getAddress()));
    final ValidatorNode a = nodes.get(0);
    final BigInteger jobId = job();
    final DisputeCourt court = suite(client).court();
    final BigInteger disputesBefore = court.disputeCount().send();
    final BigInteger balanceBefore = suite(client).token().balanceOf(finder.getAddress()).send();
    publishBlock(jobId, 1);
    // Once the block is anchored no periodic block comes: the finder's commitment is mined in its own
    // block and its reveal, which must land in a later one, waits until the finder is stopped.
    await(() -> anchoredBlocks(jobId) >= 1, WAIT, "the block anchored");
    chain.pauseBlocks(true);
    try {
      await(() -> challengePhase(a.store(), jobId).filter(p -> p == ChallengeState.Phase.REVEALING).isPresent(), WAIT,
          "the finder's commitment");
      a.stopValidator();
    } finally {
      chain.pauseBlocks(false);
    }
    chain.advanceTime(700); // past the block's 600 s challenge window

    final ch.qos.logback.classic.Logger log =
        (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(DutyRunner.class);
    final ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> captured =
        new ch.qos.logback.core.read.ListAppender<>();
    captured.start();
    log.addAppender(captured);
    try {
      a.startValidator();
      await(() -> challengePhase(a.store(), jobId).isEmpty(), WAIT, "the refused challenge given up");
    } finally {
      log.detachAppender(captured);
    }
    assertThat(captured.list).anySatisfy(e -> {
      assertThat(e.getLevel()).isEqualTo(ch.qos.logback.classic.Level.ERROR);
      assertThat(e.getFormattedMessage()).contains("gives up the challenge of").contains("DisputeCourt challenge")
          .contains("DisputeCourtChallengeWindowClosed(jobId=" + jobId + ", blockIndex=0");
    });
    assertThat(court.disputeCount().send()).isEqualTo(disputesBefore);
    assertThat(suite(client).token().balanceOf(finder.getAddress()).send()).as("no bond taken").isEqualTo(balanceBefore);
  }

  // ------------------------------------------------------------------ helpers

  private void network(final Set<String> obliged) {
    for (int i = 0; i < validators.size(); i++) {
      final Credentials v = validators.get(i);
      final SignedTestProtocol protocol = new SignedTestProtocol(obliged);
      final ValidatorNode.Protocol side = new ValidatorNode.Protocol(protocol, protocol, new SignedRecordInspector(domain));
      nodes.add(new ValidatorNode(chain, v, dir.resolve("v" + i), CONFIG, side, new SuiteDisputeClient(suite(v), chain.web3j())));
    }
    for (int i = 1; i < nodes.size(); i++) {
      nodes.get(i).dial(nodes.get(i - 1));
    }
    nodes.get(0).dial(nodes.get(nodes.size() - 1));
    worker = new Worker();
    nodes.forEach(worker::dial);
    nodes.forEach(ValidatorNode::startValidator);
  }

  private BigInteger job() throws Exception {
    final BigInteger jobId = chain.createJob(client, 1);
    suite(client).escrow().assign(jobId, List.of(stage0.getAddress(), stage1.getAddress()), AnvilSuite.word(3)).send();
    worker.awaitSubscribers(jobId, nodes.size());
    return jobId;
  }

  /** Publishes both stages' signed records of steps 0..3; stage 1 at {@code fraudAt} (or none, -1) is fraudulent. */
  private void publishBlock(final BigInteger jobId, final long fraudAt) {
    for (long step = 0; step < SignedTestProtocol.BLOCK_STEPS; step++) {
      worker.gossip.publish(PolTransport.stepsTopic(jobId), SignedTestProtocol.record(domain, jobId, step, 0, stage0, false)).join();
      worker.gossip.publish(PolTransport.stepsTopic(jobId),
          SignedTestProtocol.record(domain, jobId, step, 1, stage1, step == fraudAt)).join();
    }
  }

  private static Optional<ChallengeState.Phase> challengePhase(final NodeStore store, final BigInteger jobId) {
    for (final StoredEntry<DutyKey> e : store.duties()) {
      if (e.key().kind() == 'c') {
        final ChallengeState s = ChallengeState.decode(e.value());
        if (s.target().block().jobId().equals(jobId)) {
          return Optional.of(s.phase());
        }
      }
    }
    return Optional.empty();
  }

  /** Mines a block (one second later) every 250 ms, as a live chain would. */
  private void startMining() {
    mining.set(true);
    miner = Thread.ofPlatform().daemon().name("anvil-miner").start(() -> {
      while (mining.get()) {
        chain.advanceTime(1);
        try {
          Thread.sleep(250);
        } catch (InterruptedException e) {
          return;
        }
      }
    });
  }

  private void stopMining() throws InterruptedException {
    mining.set(false);
    if (miner != null) {
      miner.join();
      miner = null;
    }
  }

  private long anchoredBlocks(final BigInteger jobId) {
    try {
      return suite(client).anchor().head(jobId).send().component2().longValueExact();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static ContractSuite suite(final Credentials who) {
    return chain.suite(who);
  }

  private static DisputeStatus status(final DisputeCourt court, final BigInteger id) {
    try {
      return DisputeStatus.of(court.getDispute(id).send().status.intValueExact());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static int requestStatus(final DisputeCourt court, final BigInteger id) {
    try {
      return court.getDataRequest(id).send().status.intValueExact();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @SuppressWarnings("unchecked")
  private static List<String> committee(final DisputeCourt court, final BigInteger id) throws Exception {
    return ((List<Object>) court.committee(id).send()).stream().map(o -> EthAddress.lower(o.toString())).toList();
  }

  /** ChallengeCommitted events of {@code committer} since chain block {@code from}. */
  private static int commitmentsBy(final String committer, final long from) throws Exception {
    final EthFilter filter = new EthFilter(new DefaultBlockParameterNumber(from), DefaultBlockParameterName.LATEST,
        chain.deployment().address(SuiteContract.DISPUTE_COURT));
    filter.addSingleTopic(EventEncoder.encode(DisputeCourt.CHALLENGECOMMITTED_EVENT));
    filter.addNullTopic();
    filter.addSingleTopic(Numeric.toHexStringWithPrefixZeroPadded(Numeric.toBigInt(committer), 64));
    return chain.web3j().ethGetLogs(filter).send().getLogs().size();
  }

  /** The ids of the disputes opened over records of {@code jobId}. */
  private static List<BigInteger> disputesOf(final BigInteger jobId) {
    final EthFilter filter = new EthFilter(new DefaultBlockParameterNumber(0), DefaultBlockParameterName.LATEST,
        chain.deployment().address(SuiteContract.DISPUTE_COURT));
    filter.addSingleTopic(EventEncoder.encode(DisputeCourt.DISPUTEOPENED_EVENT));
    filter.addNullTopic();
    filter.addSingleTopic(Numeric.toHexStringWithPrefixZeroPadded(jobId, 64));
    try {
      return chain.web3j().ethGetLogs(filter).send().getLogs().stream()
          .map(r -> DisputeCourt.getDisputeOpenedEventFromLog((org.web3j.protocol.core.methods.response.Log) r.get()).disputeId)
          .toList();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

}
