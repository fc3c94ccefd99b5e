package io.tensorlink.chain.validator.dispute;

import static org.assertj.core.api.Assertions.assertThat;

import io.tensorlink.chain.store.BlockKey;
import io.tensorlink.chain.store.RecordKey;
import io.tensorlink.chain.validator.DisputeClient;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The challenge phases against a scripted court: one transaction per call, the salt chosen and
 * returned for storage before anything is sent, a restart in any phase resumes without sending
 * twice, and refusals wait, count or end the challenge by the court's error.
 */
class ChallengerTest {
  private static final BigInteger JOB = BigInteger.valueOf(7);
  private static final ChallengeTarget TARGET =
      new ChallengeTarget(new BlockKey(JOB, 2), new byte[32], 55, new RecordKey(JOB, 9, 1, 0));
  private static final byte[] LEAF = new byte[] {1, 2, 3};
  private static final String OTHER = "0x00000000000000000000000000000000000000bb";

  private final ScriptedCourt court = new ScriptedCourt();
  private final Challenger challenger = new Challenger(court, new BlockRecords() {
    @Override
    public byte[] leaf(final BlockKey block, final RecordKey record) {
      return LEAF;
    }

    @Override
    public RecordProof proof(final BlockKey block, final RecordKey record) {
      return new RecordProof(new byte[] {9}, List.of(new byte[32]));
    }
  }, new SecureRandom());

  @Test
  void eachPhaseSendsAtMostOneTransactionAndTheSaltIsStoredFirst() {
    final ChallengeState committing = next(challenger.advance(ChallengeState.owed(TARGET)));
    assertThat(committing.phase()).isEqualTo(ChallengeState.Phase.COMMITTING);
    assertThat(court.sent).as("nothing is sent before the salt is stored").isEmpty();

    final ChallengeState revealing = next(challenger.advance(committing));
    assertThat(court.sent).containsExactly("commit");
    assertThat(revealing.commitBlock()).isEqualTo(court.head);
    assertThat(challenger.advance(revealing)).as("the reveal waits for a later block").isInstanceOf(Challenger.Step.Wait.class);

    court.head++;
    final ChallengeState following = next(challenger.advance(revealing));
    assertThat(court.sent).containsExactly("commit", "challenge");
    assertThat(following.disputeId()).isEqualTo(BigInteger.ONE);
    assertThat(court.revealedSalt).isEqualTo(committing.salt());

    assertThat(challenger.advance(following)).isInstanceOf(Challenger.Step.Wait.class);
    court.head = court.dispute.drawBlock();
    assertThat(challenger.advance(following)).isInstanceOf(Challenger.Step.Wait.class);
    assertThat(court.sent).containsExactly("commit", "challenge", "draw");
    court.dispute = court.voting(2, 0);
    assertThat(challenger.advance(following)).isInstanceOf(Challenger.Step.Done.class);
    assertThat(court.sent).containsExactly("commit", "challenge", "draw", "resolve");
  }

  @Test
  void aRestartAfterTheCommitWasMinedDoesNotCommitAgain() {
    final ChallengeState committing = next(challenger.advance(ChallengeState.owed(TARGET)));
    next(challenger.advance(committing));
    // The node died before storing REVEALING: it resumes from the stored COMMITTING state.
    final ChallengeState resumed = next(challenger.advance(ChallengeState.decode(committing.encode())));
    assertThat(resumed.phase()).isEqualTo(ChallengeState.Phase.REVEALING);
    assertThat(court.sent).containsExactly("commit");
  }

  @Test
  void aRestartAfterTheRevealWasMinedFindsTheDisputeInsteadOfPayingASecondBond() {
    final ChallengeState committing = next(challenger.advance(ChallengeState.owed(TARGET)));
    final ChallengeState revealing = next(challenger.advance(committing));
    court.head++;
    next(challenger.advance(revealing));
    final ChallengeState resumed = next(challenger.advance(ChallengeState.decode(revealing.encode())));
    assertThat(resumed.phase()).isEqualTo(ChallengeState.Phase.FOLLOWING);
    assertThat(resumed.disputeId()).isEqualTo(BigInteger.ONE);
    assertThat(court.sent).containsExactly("commit", "challenge");
  }

  @Test
  void aFinalRefusalOfTheRevealEndsTheChallengeNamingTheError() {
    final ChallengeState revealing = revealing();
    court.refuseChallenge = "DisputeCourtChallengeWindowClosed";
    final Challenger.Step step = challenger.advance(revealing);
    assertThat(step).isInstanceOfSatisfying(Challenger.Step.Done.class, d -> {
      assertThat(d.abandoned()).isTrue();
      assertThat(d.outcome()).contains("DisputeCourtChallengeWindowClosed");
    });
  }

  @Test
  void otherRefusalsAreCountedAndGiveUpAfterTheLimit() {
    ChallengeState state = revealing();
    court.refuseChallenge = "ERC20InsufficientBalance";
    for (int i = 1; i < Rejections.MAX_REJECTIONS; i++) {
      state = next(challenger.advance(state));
      assertThat(state.rejections()).isEqualTo(i);
      assertThat(ChallengeState.decode(state.encode()).rejections()).isEqualTo(i);
    }
    assertThat(challenger.advance(state)).isInstanceOfSatisfying(Challenger.Step.Done.class,
        d -> assertThat(d.outcome()).contains("5 times").contains("ERC20InsufficientBalance"));
  }

  @Test
  void aTooEarlyRefusalWaitsWithoutCounting() {
    final ChallengeState revealing = revealing();
    court.refuseChallenge = "DisputeCourtNoCommitment";
    assertThat(challenger.advance(revealing)).isInstanceOf(Challenger.Step.Wait.class);
  }

  @Test
  void aChallengeWhoseRecordIsGoneIsGivenUpBeforeAnythingIsSent() {
    final Challenger noRecords = new Challenger(court, new BlockRecords() {
      @Override
      public byte[] leaf(final BlockKey block, final RecordKey record) {
        throw new EvidenceUnavailableException("record " + record + " is not stored here", null);
      }

      @Override
      public RecordProof proof(final BlockKey block, final RecordKey record) {
        throw new EvidenceUnavailableException("record " + record + " is not stored here", null);
      }
    }, new SecureRandom());
    final ChallengeState committing = next(noRecords.advance(ChallengeState.owed(TARGET)));
    assertThat(noRecords.advance(committing)).isInstanceOfSatisfying(Challenger.Step.Done.class, d -> {
      assertThat(d.abandoned()).isTrue();
      assertThat(d.outcome()).contains("cannot build the evidence").contains("not stored here");
    });
    assertThat(court.sent).isEmpty();
  }

  @Test
  void anotherOpenDisputeOnTheRecordIsHelpedAlongInsteadOfCommittingAgain() {
    final ChallengeState committing = next(challenger.advance(ChallengeState.owed(TARGET)));
    court.dispute = new DisputeView(BigInteger.TEN, DisputeStatus.DRAWING, OTHER, court.head, 0, List.of(), 0, 0, 0, 0, 0);
    assertThat(challenger.advance(committing)).isInstanceOf(Challenger.Step.Wait.class);
    assertThat(court.sent).as("drew the other dispute's committee, committed nothing").containsExactly("draw");
    court.dispute = new DisputeView(BigInteger.TEN, DisputeStatus.FRAUD, OTHER, 0, 0, List.of(), 0, 0, 0, 0, 0);
    assertThat(challenger.advance(committing)).isInstanceOfSatisfying(Challenger.Step.Done.class, d -> {
      assertThat(d.abandoned()).isFalse();
      assertThat(d.outcome()).contains("dispute 10").contains("already found the fraud");
    });
    assertThat(court.sent).containsExactly("draw");
  }

  @Test
  void aRecordAnotherDisputeFailedToConvictIsChallengedAgain() {
    final ChallengeState committing = next(challenger.advance(ChallengeState.owed(TARGET)));
    court.dispute = new DisputeView(BigInteger.TEN, DisputeStatus.EXPIRED, OTHER, 0, 0, List.of(), 0, 0, 0, 0, 0);
    assertThat(next(challenger.advance(committing)).phase()).isEqualTo(ChallengeState.Phase.REVEALING);
    assertThat(court.sent).containsExactly("commit");
  }

  @Test
  void anExpiredDrawIsResolved() {
    final ChallengeState following = revealing().following(BigInteger.ONE);
    court.dispute = new DisputeView(BigInteger.ONE, DisputeStatus.DRAWING, court.account(), 10, 0, List.of(), 0, 0, 0, 0, 0);
    court.head = 10 + DisputeView.DRAW_WINDOW;
    assertThat(challenger.advance(following)).isInstanceOfSatisfying(Challenger.Step.Done.class,
        d -> assertThat(d.outcome()).contains("EXPIRED"));
    assertThat(court.sent).containsExactly("resolve");
  }

  private ChallengeState revealing() {
    final ChallengeState committing = next(challenger.advance(ChallengeState.owed(TARGET)));
    final ChallengeState revealing = next(challenger.advance(committing));
    court.head++;
    court.sent.clear();
    return revealing;
  }

  private static ChallengeState next(final Challenger.Step step) {
    assertThat(step).isInstanceOf(Challenger.Step.Next.class);
    return ((Challenger.Step.Next) step).state();
  }

  /** A court that mines every transaction at once in block {@code head}. */
  private static final class ScriptedCourt implements DisputeClient {
    final List<String> sent = new ArrayList<>();
    final Map<String, Long> commits = new HashMap<>();
    long head = 40;
    String refuseChallenge;
    byte[] revealedSalt;
    DisputeView dispute;

    @Override
    public String account() {
      return "0x00000000000000000000000000000000000000aa";
    }

    @Override
    public long head() {
      return head;
    }

    @Override
    public byte[] commitment(final BigInteger jobId, final long blockIndex, final byte[] recordHash, final byte[] salt) {
      final byte[] c = salt.clone();
      c[0] ^= (byte) blockIndex;
      return c;
    }

    @Override
    public long commitmentBlock(final byte[] commitment) {
      return commits.getOrDefault(java.util.HexFormat.of().formatHex(commitment), 0L);
    }

    @Override
    public void commit(final byte[] commitment) {
      sent.add("commit");
      commits.put(java.util.HexFormat.of().formatHex(commitment), head);
    }

    @Override
    public BigInteger challenge(final ChallengeEvidence evidence) {
      if (refuseChallenge != null) {
        throw new CourtRejectedException(refuseChallenge, "challenge reverted: " + refuseChallenge + "()", null);
      }
      sent.add("challenge");
      revealedSalt = evidence.salt();
      commits.replaceAll((c, at) -> USED);
      dispute = new DisputeView(BigInteger.ONE, DisputeStatus.DRAWING, account(), head + 2, 0, List.of(), 0, 0, 0, head, 0);
      return BigInteger.ONE;
    }

    DisputeView voting(final int fraud, final int valid) {
      return new DisputeView(BigInteger.ONE, DisputeStatus.VOTING, account(), dispute.drawBlock(), 1_000,
          List.of("0x01", "0x02", "0x03"), 3, fraud, valid, head, 10);
    }

    @Override
    public Optional<BigInteger> findDispute(final BigInteger jobId, final long blockIndex, final byte[] recordHash,
        final Optional<String> challenger, final long fromBlock) {
      return Optional.ofNullable(dispute).filter(d -> challenger.map(d.challenger()::equals).orElse(true)).map(DisputeView::id);
    }

    @Override
    public DisputeView dispute(final BigInteger disputeId) {
      final DisputeView d = dispute;
      return new DisputeView(d.id(), d.status(), d.challenger(), d.drawBlock(), d.votingEndsAt(), d.committee(), d.voteMask(),
          d.fraudVotes(), d.validVotes(), head, d.chainTime());
    }

    @Override
    public void draw(final BigInteger disputeId) {
      sent.add("draw");
    }

    @Override
    public void vote(final BigInteger disputeId, final boolean fraud) {
      sent.add("vote");
    }

    @Override
    public void resolve(final BigInteger disputeId) {
      sent.add("resolve");
      final DisputeView d = dispute;
      dispute = new DisputeView(d.id(), d.fraudVotes() > 0 ? DisputeStatus.FRAUD : DisputeStatus.EXPIRED, d.challenger(),
          d.drawBlock(), d.votingEndsAt(), d.committee(), d.voteMask(), d.fraudVotes(), d.validVotes(), head, d.chainTime());
    }

    @Override
    public Optional<DataRequestView> dataRequest(final BigInteger requestId) {
      return Optional.empty();
    }

    @Override
    public void provideData(final BigInteger requestId, final byte[] recordWire, final List<byte[]> proof) {
      sent.add("provideData");
    }
  }
}
