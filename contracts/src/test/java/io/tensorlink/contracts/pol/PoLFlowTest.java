package io.tensorlink.contracts.pol;

import static io.tensorlink.contracts.testing.SuiteActions.bytes32;
import static io.tensorlink.contracts.testing.SuiteActions.tl;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tensorlink.contracts.ContractSuite;
import io.tensorlink.contracts.SuiteContract;
import io.tensorlink.contracts.generated.DisputeCourt.Evidence;
import io.tensorlink.contracts.generated.DisputeCourt.StepRecord;
import io.tensorlink.contracts.generated.PoLAnchor.PoLBlock;
import io.tensorlink.contracts.revert.ContractRevertException;
import io.tensorlink.contracts.testing.DeployedDevnet;
import io.tensorlink.contracts.testing.SuiteActions;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/**
 * The money path on a real anvil with the v2 encodings, everything off-chain computed in Java: a job
 * is created and assigned, a PoL block (Java Merkle roots, recent chain randomness, Java EIP-712
 * signatures) is anchored, workers claim with Java proofs after the challenge window, a signer
 * pulls its fee, the client is refunded, and a committed challenge of a Java-signed step record
 * (committee drawn from a later block) ends in a slash.
 */
class PoLFlowTest {
  @AutoClose private static DeployedDevnet devnet;
  private static SuiteActions act;
  private static Credentials client;
  private static List<Credentials> validators;
  private static Credentials worker1;
  private static Credentials worker2;
  private static Credentials challenger;

  private String snapshot;

  @BeforeAll
  static void setUp() throws Exception {
    devnet = DeployedDevnet.start();
    act = new SuiteActions(devnet);
    client = devnet.account(0);
    validators = List.of(devnet.account(1), devnet.account(2), devnet.account(3));
    worker1 = devnet.account(4);
    worker2 = devnet.account(5);
    challenger = devnet.account(6);
    for (final Credentials v : validators) {
      act.stakeAndRegister(v, tl(40_000));
    }
    for (final Credentials w : List.of(worker1, worker2, challenger)) {
      act.stake(w, tl(1_000));
    }
    // Validators registered in epoch e sign from epoch e+1.
    devnet.advanceTime(3_600);
  }

  @BeforeEach
  void fresh() {
    snapshot = devnet.snapshot();
  }

  @AfterEach
  void rewind() {
    devnet.revert(snapshot);
  }

  @Test
  void javaHashesDigestAndDomainMatchTheContract() throws Exception {
    final ContractSuite s = devnet.suite(0);
    final PoLBlock h = SuiteActions.header(BigInteger.valueOf(42), 3, bytes32(7), 30, 40, bytes32(8), bytes32(9),
        new Randomness(99, bytes32(10)));

    assertThat(s.anchor().hashBlock(h).send()).isEqualTo(PoLBlocks.hash(h));
    assertThat(s.anchor().blockDigest(h).send()).isEqualTo(PoLBlocks.digest(s.polDomain(), h));
    assertThat(s.anchor().domainSeparator().send()).isEqualTo(s.polDomain().separator());
    final StepRecord r = record(BigInteger.valueOf(42), 3, worker1.getAddress(), 0x21);
    assertThat(s.court().recordHash(r).send()).isEqualTo(StepRecords.hash(r));
    assertThat(s.court().recordDigest(r).send()).isEqualTo(StepRecords.digest(s.polDomain(), r));
    assertThat(s.anchor().hashSigners(PoLBlocks.signerList(validators)).send())
        .isEqualTo(PoLBlocks.signersHash(PoLBlocks.signerList(validators)));
  }

  @Test
  void anchoredBlockPaysWorkersByJavaProofAfterTheWindowOnlyOnce() throws Exception {
    final BigInteger jobId = createAssignedJob(tl(1_000), tl(10));
    // 10 steps at 10 TL = 100 TL gross; 5% to the signers, 1% protocol: a 94 TL worker pool.
    final PayoutTree payouts = PayoutTree.of(ordered(worker1.getAddress(), tl(50), worker2.getAddress(), tl(44)));
    final PoLBlock h = act.header(jobId, 0, new byte[32], 0, 10, bytes32(1), payouts.root());

    final TransactionReceipt anchored = act.submit(devnet.account(8), h, validators);
    report("PoLAnchor.submit (3 of 3 signers)", anchored);

    final ContractSuite w1 = devnet.suite(worker1);
    assertThat(w1.escrow().blockPayout(jobId, BigInteger.ZERO).send().component1()).isEqualTo(tl(94));
    assertThat(devnet.suite(0).anchor().head(jobId).send().component1()).isEqualTo(PoLBlocks.hash(h));

    assertThatThrownBy(() -> w1.escrow().claim(jobId, BigInteger.ZERO, tl(50), payouts.proof(worker1.getAddress())).send())
        .isInstanceOfSatisfying(ContractRevertException.class, e -> {
          assertThat(e.revert().name()).isEqualTo("JobEscrowChallengeWindowOpen");
          assertThat(e.transactionHash()).isEmpty();
        });

    devnet.advanceTime(600);
    final BigInteger before = w1.token().balanceOf(worker1.getAddress()).send();
    final TransactionReceipt claimed = w1.escrow().claim(jobId, BigInteger.ZERO, tl(50), payouts.proof(worker1.getAddress())).send();
    report("JobEscrow.claim", claimed);
    // The suite sends EIP-1559 (type 2) transactions on a chain with a base fee, as anvil's.
    assertThat(devnet.web3j().ethGetTransactionByHash(claimed.getTransactionHash()).send().getTransaction().orElseThrow().getType())
        .isEqualTo("0x2");

    assertThat(w1.token().balanceOf(worker1.getAddress()).send()).isEqualTo(before.add(tl(50)));
    assertThat(w1.escrow().isClaimed(jobId, BigInteger.ZERO, worker1.getAddress()).send()).isTrue();
    assertThat(w1.stakeManager().reputation(worker1.getAddress()).send().component1()).isEqualTo(BigInteger.TEN);
    // Each signer pulls its fee (5 TL / 3) with the block's header and signer list.
    final Credentials signer = validators.get(1);
    final List<String> signerList = PoLBlocks.signerList(validators);
    final ContractSuite v = devnet.suite(signer);
    final BigInteger vBefore = v.token().balanceOf(signer.getAddress()).send();
    final TransactionReceipt fee = v.escrow()
        .claimFee(PoLBlocks.forEscrow(h), signerList, BigInteger.valueOf(signerList.indexOf(signer.getAddress())))
        .send();
    report("JobEscrow.claimFee", fee);
    assertThat(v.token().balanceOf(signer.getAddress()).send()).isEqualTo(vBefore.add(tl(5).divide(BigInteger.valueOf(3))));
    assertThatThrownBy(() -> w1.escrow().claim(jobId, BigInteger.ZERO, tl(50), payouts.proof(worker1.getAddress())).send())
        .isInstanceOfSatisfying(ContractRevertException.class, e ->
            assertThat(e.revert().toString())
                .isEqualTo("JobEscrowAlreadyClaimed(jobId=" + jobId + ", blockIndex=0, worker=" + worker1.getAddress() + ")"));
    // A proof for someone else's amount does not verify.
    final ContractSuite w2 = devnet.suite(worker2);
    assertThatThrownBy(() -> w2.escrow().claim(jobId, BigInteger.ZERO, tl(50), payouts.proof(worker2.getAddress())).send())
        .isInstanceOfSatisfying(ContractRevertException.class, e -> assertThat(e.revert().name()).isEqualTo("JobEscrowInvalidProof"));
  }

  @Test
  void theHashChainContinuesFromTheJavaComputedParent() throws Exception {
    final BigInteger jobId = createAssignedJob(tl(1_000), tl(10));
    final PayoutTree payouts = PayoutTree.of(Map.of(worker1.getAddress(), tl(9)));
    final PoLBlock first = act.header(jobId, 0, new byte[32], 0, 1, bytes32(1), payouts.root());
    act.submit(client, first, validators);

    final PoLBlock wrongParent = act.header(jobId, 1, bytes32(5), 1, 2, bytes32(1), payouts.root());
    assertThatThrownBy(() -> act.submit(client, wrongParent, validators))
        .isInstanceOfSatisfying(ContractRevertException.class, e -> assertThat(e.revert().name()).isEqualTo("PoLAnchorParentMismatch"));
    assertThatThrownBy(() -> act.submit(client, first, validators))
        .isInstanceOfSatisfying(ContractRevertException.class, e ->
            assertThat(e.revert().toString()).isEqualTo("PoLAnchorUnexpectedIndex(jobId=" + jobId + ", expected=1, got=0)"));

    final TransactionReceipt second = act.submit(client, act.header(jobId, 1, PoLBlocks.hash(first), 1, 2, bytes32(1), payouts.root()), validators);
    assertThat(second.isStatusOK()).isTrue();
    assertThat(devnet.suite(0).anchor().head(jobId).send().component2()).isEqualTo(BigInteger.TWO);
  }

  @Test
  void signaturesBelowTwoThirdsOrFromOutsidersAreRejectedWithTheirErrors() throws Exception {
    final BigInteger jobId = createAssignedJob(tl(1_000), tl(10));
    final PoLBlock h = act.header(jobId, 0, new byte[32], 0, 10, bytes32(1), bytes32(2));

    assertThatThrownBy(() -> act.submit(client, h, validators.subList(0, 1)))
        .isInstanceOfSatisfying(ContractRevertException.class, e ->
            assertThat(e.revert().toString())
                .isEqualTo("PoLAnchorInsufficientStake(signedStake=" + tl(40_000) + ", totalStake=" + tl(120_000) + ")"));
    assertThatThrownBy(() -> act.submit(client, h, List.of(validators.get(0), validators.get(1), worker1)))
        .isInstanceOfSatisfying(ContractRevertException.class, e ->
            assertThat(e.revert().toString()).isEqualTo("PoLAnchorNotActiveValidator(signer=" + worker1.getAddress() + ")"));
    // A signature made for another chain id does not recover to a validator.
    final Eip712Domain otherChain = Eip712Domain.polAnchor(1, devnet.deployment().address(SuiteContract.POL_ANCHOR));
    final List<byte[]> foreign = validators.stream().map(v -> PoLBlocks.sign(v, otherChain, h)).toList();
    assertThatThrownBy(() -> devnet.suite(client).anchor().submit(h, foreign).send())
        .isInstanceOf(ContractRevertException.class)
        .hasMessageContaining("PoLAnchor");
    // Two of three equal stakes is exactly 2/3: enough.
    assertThat(act.submit(client, h, validators.subList(0, 2)).isStatusOK()).isTrue();
  }

  @Test
  void unspentBudgetIsRefundedAfterTheDeadline() throws Exception {
    final BigInteger jobId = createAssignedJob(tl(1_000), tl(10));
    act.submit(client, act.header(jobId, 0, new byte[32], 0, 10, bytes32(1), bytes32(2)), validators);
    final ContractSuite c = devnet.suite(client);

    assertThatThrownBy(() -> c.escrow().refund(jobId).send())
        .isInstanceOfSatisfying(ContractRevertException.class, e -> assertThat(e.revert().name()).isEqualTo("JobEscrowDeadlineNotPassed"));

    devnet.advanceTime(86_400 + 1);
    final BigInteger balance = c.token().balanceOf(client.getAddress()).send();
    final BigInteger creditBefore = c.escrow().creditOf(client.getAddress()).send();
    c.escrow().refund(jobId).send();
    // 1000 budget - 100 reserved by the anchored block.
    assertThat(c.escrow().creditOf(client.getAddress()).send().subtract(creditBefore)).isEqualTo(tl(900));
    c.escrow().withdraw().send();
    assertThat(c.token().balanceOf(client.getAddress()).send()).isEqualTo(balance.add(creditBefore).add(tl(900)));
  }

  @Test
  void aCommittedChallengeOfAJavaSignedRecordEndsInASlashAndAVoidedPayout() throws Exception {
    // Rate 1 ppm: no signer is obliged to have checked the record, so all three can sit on the committee.
    final BigInteger jobId = createAssignedJob(tl(1_000), tl(10), 1);
    final StepRecord bad = record(jobId, 0, worker2.getAddress(), 0x66);
    final List<StepRecord> records = List.of(record(jobId, 0, worker1.getAddress(), 0x11), bad,
        record(jobId, 1, worker1.getAddress(), 0x12), record(jobId, 1, worker2.getAddress(), 0x13));
    final StepTree steps = StepTree.of(records);
    final PayoutTree payouts = PayoutTree.of(ordered(worker1.getAddress(), tl(10), worker2.getAddress(), tl(8)));
    final PoLBlock h = act.header(jobId, 0, new byte[32], 0, 2, steps.root(), payouts.root());
    act.submit(client, h, validators);
    final ContractSuite court = devnet.suite(challenger);
    final BigInteger bond = tl(100);
    court.token().approve(devnet.deployment().address(SuiteContract.DISPUTE_COURT), bond).send();
    final BigInteger workerStake = court.stakeManager().stakeOf(worker2.getAddress()).send();
    final byte[] salt = bytes32(0x5a);
    final Evidence evidence = new Evidence(PoLBlocks.forCourt(h), PoLBlocks.signerList(validators), bad,
        StepRecords.sign(worker2, court.polDomain(), bad), steps.proof(bad), tl(8), payouts.proof(worker2.getAddress()), salt);

    // Revealing without an earlier commitment is refused; commit, then reveal in a later block.
    assertThatThrownBy(() -> court.court().challenge(evidence).send())
        .isInstanceOfSatisfying(ContractRevertException.class, e -> assertThat(e.revert().name()).isEqualTo("DisputeCourtNoCommitment"));
    final byte[] commitment = court.court()
        .challengeCommitment(challenger.getAddress(), jobId, BigInteger.ZERO, StepRecords.hash(bad), salt).send();
    report("DisputeCourt.commitChallenge", court.court().commitChallenge(commitment).send());
    final TransactionReceipt opened = court.court().challenge(evidence).send();
    report("DisputeCourt.challenge", opened);
    final BigInteger disputeId = court.court().disputeCount().send();
    assertThat(court.court().sampledSigners(disputeId).send()).isEmpty();
    assertThat(court.court().committee(disputeId).send()).isEmpty();

    // The committee comes from the hash of a block mined after the reveal.
    devnet.mine(3);
    report("DisputeCourt.draw", devnet.suite(client).court().draw(disputeId).send());
    @SuppressWarnings("unchecked")
    final List<String> committee = court.court().committee(disputeId).send();
    assertThat(committee).isNotEmpty().allSatisfy(m ->
        assertThat(validators.stream().map(Credentials::getAddress)).contains(m.toLowerCase()));
    for (final String member : committee) {
      final Credentials voter = validators.stream().filter(v -> v.getAddress().equalsIgnoreCase(member)).findFirst().orElseThrow();
      devnet.suite(voter).court().vote(disputeId, true).send();
    }
    devnet.suite(client).court().resolve(disputeId).send();

    final BigInteger slashed = workerStake.divide(BigInteger.TEN);
    assertThat(court.stakeManager().stakeOf(worker2.getAddress()).send()).isEqualTo(workerStake.subtract(slashed));
    assertThat(court.stakeManager().reputation(worker2.getAddress()).send().component2()).isEqualTo(BigInteger.ONE);
    assertThat(court.escrow().isVoided(jobId, BigInteger.ZERO, worker2.getAddress()).send()).isTrue();
    assertThat(court.court().creditOf(challenger.getAddress()).send()).isEqualTo(bond.add(slashed.divide(BigInteger.TWO)));
    // A record signed by someone else than its worker cannot be challenged.
    final StepRecord other = records.get(2);
    final byte[] salt2 = bytes32(0x5b);
    final Evidence forged = new Evidence(PoLBlocks.forCourt(h), PoLBlocks.signerList(validators), other,
        StepRecords.sign(worker2, court.polDomain(), other), steps.proof(other), tl(10), payouts.proof(worker1.getAddress()), salt2);
    court.court().commitChallenge(court.court()
        .challengeCommitment(challenger.getAddress(), jobId, BigInteger.ZERO, StepRecords.hash(other), salt2).send()).send();
    court.token().approve(devnet.deployment().address(SuiteContract.DISPUTE_COURT), bond).send();
    assertThatThrownBy(() -> court.court().challenge(forged).send())
        .isInstanceOfSatisfying(ContractRevertException.class, e -> assertThat(e.revert().name()).isEqualTo(
            "DisputeCourtBadWorkerSignature"));
    devnet.advanceTime(600);
    assertThatThrownBy(() -> devnet.suite(worker2).escrow().claim(jobId, BigInteger.ZERO, tl(8), payouts.proof(worker2.getAddress())).send())
        .isInstanceOfSatisfying(ContractRevertException.class, e -> assertThat(e.revert().name()).isEqualTo("JobEscrowPayoutVoided"));
  }

  @Test
  void aDataRequestIsAnsweredWithAJavaSignedRecordAndHoldsTheBlockMeanwhile() throws Exception {
    final BigInteger jobId = createAssignedJob(tl(1_000), tl(10));
    final StepRecord r0 = record(jobId, 0, worker1.getAddress(), 0x31);
    final StepRecord r1 = record(jobId, 0, worker2.getAddress(), 0x32);
    final StepTree steps = StepTree.of(List.of(r0, r1));
    final PayoutTree payouts = PayoutTree.of(ordered(worker1.getAddress(), tl(47), worker2.getAddress(), tl(47)));
    // 10 steps at 10 TL: a 94 TL pool; the request asks for (step 0, stage 0, replica 0).
    final PoLBlock h = act.header(jobId, 0, new byte[32], 0, 10, steps.root(), payouts.root());
    act.submit(client, h, validators);
    final ContractSuite requester = devnet.suite(challenger);
    requester.token().approve(devnet.deployment().address(SuiteContract.DISPUTE_COURT), tl(100)).send();
    final List<String> signerList = PoLBlocks.signerList(validators);

    report("DisputeCourt.requestData", requester.court()
        .requestData(PoLBlocks.forCourt(h), signerList, BigInteger.ZERO, BigInteger.ZERO, BigInteger.ZERO).send());
    final BigInteger requestId = BigInteger.ONE;
    assertThat(requester.court().hasOpenDispute(jobId, BigInteger.ZERO, "0x0000000000000000000000000000000000000000").send()).isTrue();
    // A record of another step does not answer it.
    final ContractSuite provider = devnet.suite(validators.get(0));
    final StepRecord otherStep = record(jobId, 1, worker1.getAddress(), 0x33);
    assertThatThrownBy(() -> provider.court()
            .provideData(requestId, otherStep, StepRecords.sign(worker1, provider.polDomain(), otherStep), List.of()).send())
        .isInstanceOfSatisfying(ContractRevertException.class, e -> assertThat(e.revert().name()).isEqualTo("DisputeCourtWrongRecord"));
    report("DisputeCourt.provideData", provider.court()
        .provideData(requestId, r0, StepRecords.sign(worker1, provider.polDomain(), r0), steps.proof(r0)).send());
    assertThat(provider.court().getDataRequest(requestId).send().status).isEqualTo(BigInteger.TWO);
    assertThat(provider.court().creditOf(validators.get(0).getAddress()).send()).isEqualTo(tl(100));
    // The block's claims wait for the grace period after the answer (one day), then pay.
    devnet.advanceTime(600);
    assertThatThrownBy(() -> devnet.suite(worker2).escrow().claim(jobId, BigInteger.ZERO, tl(47), payouts.proof(worker2.getAddress())).send())
        .isInstanceOfSatisfying(ContractRevertException.class, e -> assertThat(e.revert().name()).isEqualTo("JobEscrowDisputeOpen"));
    devnet.advanceTime(86_400);
    assertThat(devnet.suite(worker2).escrow().claim(jobId, BigInteger.ZERO, tl(47), payouts.proof(worker2.getAddress())).send()
        .isStatusOK()).isTrue();
  }

  private static BigInteger createAssignedJob(final BigInteger budget, final BigInteger price) throws Exception {
    return createAssignedJob(budget, price, SuiteActions.DEFAULT_RATE_PPM);
  }

  private static BigInteger createAssignedJob(final BigInteger budget, final BigInteger price, final long ratePpm)
      throws Exception {
    final TransactionReceipt created = act.createJob(client, budget, price, devnet.latestTimestamp() + 86_400, ratePpm);
    report("JobEscrow.createJob", created);
    final ContractSuite c = devnet.suite(client);
    final BigInteger jobId = c.escrow().jobCount().send();
    c.escrow().assign(jobId, List.of(worker1.getAddress(), worker2.getAddress()), bytes32(3)).send();
    return jobId;
  }

  private static StepRecord record(final BigInteger jobId, final long step, final String worker, final int salt) {
    return new StepRecord(jobId, BigInteger.valueOf(step), BigInteger.ZERO, BigInteger.ZERO, BigInteger.ONE, BigInteger.ONE,
        worker, bytes32(salt), bytes32(salt + 1), bytes32(salt + 2), new byte[32], bytes32(salt + 3), new byte[32],
        new byte[32], bytes32(salt + 4), bytes32(salt + 5), bytes32(salt + 6), bytes32(salt + 7),
        BigInteger.valueOf(Double.doubleToRawLongBits(2.5)));
  }

  private static Map<String, BigInteger> ordered(final String a, final BigInteger x, final String b, final BigInteger y) {
    final Map<String, BigInteger> m = new LinkedHashMap<>();
    m.put(a, x);
    m.put(b, y);
    return m;
  }

  private static void report(final String what, final TransactionReceipt r) {
    System.out.printf("[gas] %-36s %,d%n", what, r.getGasUsed());
  }
}
