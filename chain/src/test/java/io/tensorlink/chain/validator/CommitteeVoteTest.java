package io.tensorlink.chain.validator;

import static org.assertj.core.api.Assertions.assertThat;

import io.tensorlink.chain.follow.ChainEvent;
import io.tensorlink.chain.store.NodeStore;
import io.tensorlink.chain.validator.suite.Eip712Signer;
import io.tensorlink.contracts.pol.Eip712Domain;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Credentials;

/**
 * Committee duty on a {@link ScriptedChain} (opening a real v2 dispute takes a commit-reveal
 * challenge and a committee draw; not driven here): a validator drawn into a dispute's committee
 * re-executes the disputed worker's record at that step and votes; one not drawn, or without the
 * record, does not vote.
 */
class CommitteeVoteTest {
  private static final Credentials ME = Credentials.create("0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d");
  private static final String OTHER = "0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc";
  private static final String WORKER_0 = "0x90f79bf6eb2c4f870365e785982e1f101e93b906";
  private static final String WORKER_1 = "0x15d34aaf54267db7d7c367839aaf71a00a2c6a65";
  private static final BigInteger JOB = BigInteger.valueOf(5);

  @TempDir Path dir;

  @Test
  void aDrawnValidatorReExecutesTheDisputedRecordAndVotes() {
    final ScriptedChain chain = chainWithJob();
    chain.emit(new ChainEvent.DisputeOpened(20, BigInteger.ONE, JOB, 0, WORKER_1, 2, 20 + 2));
    chain.emit(new ChainEvent.CommitteeDrawn(20, BigInteger.ONE, List.of(OTHER, ME.getAddress())));
    chain.emit(new ChainEvent.DisputeOpened(21, BigInteger.TWO, JOB, 0, WORKER_0, 1, 21 + 2));
    chain.emit(new ChainEvent.CommitteeDrawn(21, BigInteger.TWO, List.of(ME.getAddress())));
    chain.emit(new ChainEvent.DisputeOpened(22, BigInteger.valueOf(3), JOB, 0, WORKER_0, 1, 22 + 2));
    chain.emit(new ChainEvent.CommitteeDrawn(22, BigInteger.valueOf(3), List.of(OTHER)));
    chain.emit(new ChainEvent.DisputeOpened(23, BigInteger.valueOf(4), JOB, 0, WORKER_0, 3, 23 + 2));
    chain.emit(new ChainEvent.CommitteeDrawn(23, BigInteger.valueOf(4), List.of(ME.getAddress())));
    final RecordingDisputes disputes = new RecordingDisputes(ME.getAddress());
    try (NodeStore store = NodeStore.open(dir)) {
      final Validator v = validator(store, chain, disputes);
      v.start();
      chain.head = 10;
      v.tick();
      v.onStepRecord(JOB, TestProtocol.record(JOB, 1, 0, WORKER_0, "honest"));
      v.onStepRecord(JOB, TestProtocol.record(JOB, 2, 1, WORKER_1, "fraud: wrong update"));
      chain.head = 23;
      v.tick();
    }
    assertThat(disputes.votes).containsExactly(
        new RecordingDisputes.Vote(BigInteger.ONE, true), new RecordingDisputes.Vote(BigInteger.TWO, false));
  }

  @Test
  void eventsAreAppliedOnceAndTheCursorSurvivesARestart() {
    final ScriptedChain chain = chainWithJob();
    chain.emit(new ChainEvent.DisputeOpened(20, BigInteger.ONE, JOB, 0, WORKER_0, 1, 20 + 2));
    chain.emit(new ChainEvent.CommitteeDrawn(20, BigInteger.ONE, List.of(ME.getAddress())));
    final RecordingDisputes disputes = new RecordingDisputes(ME.getAddress());
    try (NodeStore store = NodeStore.open(dir)) {
      final Validator v = validator(store, chain, disputes);
      v.start();
      v.onStepRecord(JOB, TestProtocol.record(JOB, 1, 0, WORKER_0, "honest"));
      v.tick();
      v.onStepRecord(JOB, TestProtocol.record(JOB, 1, 0, WORKER_0, "honest"));
      v.tick();
      assertThat(v.job(JOB)).hasValueSatisfying(j -> assertThat(j.status()).isEqualTo(JobState.Status.ACTIVE));
    }
    try (NodeStore store = NodeStore.open(dir)) {
      final Validator v = validator(store, chain, disputes);
      v.start();
      v.tick();
      assertThat(store.cursor(Validator.CURSOR)).hasValueSatisfying(c -> assertThat(c.nextBlock()).isEqualTo(21));
    }
    // The record arrived before the job was known here: dropped, so there was nothing to judge; and no second vote.
    assertThat(disputes.votes).isEmpty();
  }

  @Test
  void aVoteThatFailsIsRetriedAndSurvivesARestart() {
    final ScriptedChain chain = chainWithJob();
    chain.head = 10;
    final RecordingDisputes failing = new RecordingDisputes(ME.getAddress()) {
      @Override
      public void vote(final BigInteger disputeId, final boolean fraud) {
        throw new IllegalStateException("RPC down");
      }
    };
    try (NodeStore store = NodeStore.open(dir)) {
      final Validator v = validator(store, chain, failing);
      v.start();
      v.tick();
      v.onStepRecord(JOB, TestProtocol.record(JOB, 2, 1, WORKER_1, "fraud: wrong update"));
      chain.emit(new ChainEvent.DisputeOpened(19, BigInteger.ONE, JOB, 0, WORKER_1, 2, 19 + 2));
      v.tick();
      assertThat(store.duties()).as("the open dispute, committee not drawn yet").hasSize(1);
      // The draw comes in a later chain window than the opening.
      chain.emit(new ChainEvent.CommitteeDrawn(20, BigInteger.ONE, List.of(ME.getAddress())));
      v.tick();
      v.tick();
      assertThat(store.duties()).as("the vote is still owed").hasSize(1);
    }
    final RecordingDisputes working = new RecordingDisputes(ME.getAddress());
    try (NodeStore store = NodeStore.open(dir)) {
      final Validator v = validator(store, chain, working);
      v.start();
      v.tick();
      assertThat(working.votes).containsExactly(new RecordingDisputes.Vote(BigInteger.ONE, true));
      assertThat(store.duties()).isEmpty();
      v.tick();
      assertThat(working.votes).hasSize(1);
    }
  }

  @Test
  void aVoteSentJustBeforeACrashIsNotSentAgain() {
    final ScriptedChain chain = chainWithJob();
    chain.emit(new ChainEvent.DisputeOpened(20, BigInteger.ONE, JOB, 0, WORKER_1, 2, 20 + 2));
    chain.emit(new ChainEvent.CommitteeDrawn(20, BigInteger.ONE, List.of(ME.getAddress())));
    // The vote reaches the court, then the node loses the answer (crash, timeout): the duty stays.
    final RecordingDisputes lostAnswer = new RecordingDisputes(ME.getAddress()) {
      @Override
      public void vote(final BigInteger disputeId, final boolean fraud) {
        super.vote(disputeId, fraud);
        throw new IllegalStateException("connection reset while waiting for the receipt");
      }
    };
    try (NodeStore store = NodeStore.open(dir)) {
      final Validator v = validator(store, chain, lostAnswer);
      v.start();
      chain.head = 10;
      v.tick();
      v.onStepRecord(JOB, TestProtocol.record(JOB, 2, 1, WORKER_1, "fraud: wrong update"));
      chain.head = 20;
      v.tick();
      assertThat(lostAnswer.votes).hasSize(1);
      assertThat(store.duties()).as("the vote duty survives the lost answer").hasSize(1);
      v.tick();
      assertThat(lostAnswer.votes).as("the court shows the vote: not sent again").hasSize(1);
      assertThat(store.duties()).isEmpty();
    }
  }

  private ScriptedChain chainWithJob() {
    final ScriptedChain chain = new ScriptedChain(new ValidatorSet(BigInteger.ONE,
        List.of(new ValidatorSet.Member(ME.getAddress(), BigInteger.TEN), new ValidatorSet.Member(OTHER, BigInteger.TEN)),
        BigInteger.valueOf(20)));
    chain.emit(new ChainEvent.JobCreated(3, JOB, OTHER, new byte[32]));
    chain.emit(new ChainEvent.JobAssigned(4, JOB, new byte[32], List.of(WORKER_0, WORKER_1)));
    return chain;
  }

  private static Validator validator(final NodeStore store, final ScriptedChain chain, final RecordingDisputes disputes) {
    final TestProtocol protocol = new TestProtocol();
    return Validator.builder()
        .store(store)
        .chainEvents(chain)
        .anchor(chain)
        .disputes(disputes)
        .transport(new RecordingTransport())
        .signer(new Eip712Signer(ME, Eip712Domain.polAnchor(31337, "0x5FbDB2315678afecb367f032d93F642f64180aa3")))
        .format(protocol)
        .verifier(protocol)
        .inspector(protocol)
        .config(ValidatorConfig.defaults().withConfirmations(0))
        .build();
  }
}
