package io.tensorlink.besu.rules;

import static io.tensorlink.besu.Fixtures.ANCHOR;
import static io.tensorlink.besu.Fixtures.KEYS;
import static io.tensorlink.besu.Fixtures.STAKE;
import static io.tensorlink.besu.Fixtures.header;
import static io.tensorlink.besu.Fixtures.submit;
import static org.assertj.core.api.Assertions.assertThat;

import io.tensorlink.besu.Fixtures;
import io.tensorlink.besu.StandInBesu;
import io.tensorlink.besu.anchor.AnchorState;
import io.tensorlink.besu.anchor.Head;
import io.tensorlink.chain.pol.PoLHeader;
import io.tensorlink.besu.anchor.SubmitCall;
import java.math.BigInteger;
import java.util.List;
import java.util.Optional;
import org.hyperledger.besu.datatypes.Transaction;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Credentials;
import org.web3j.utils.Numeric;

/** The validation rule on PoLAnchor.submit, against a state built from suite logs. */
class SubmissionRuleTest {
  private AnchorState state;
  private SubmissionRule rule;
  private final PoLHeader first = header(0, Head.ZERO);

  @BeforeEach
  void fourValidators() {
    state = new AnchorState(ANCHOR, Fixtures.STAKE_MANAGER);
    KEYS.subList(0, 4).forEach(k -> state.apply(Fixtures.joined(k, STAKE, 1)));
    rule = new SubmissionRule(state, new SubmissionChecks(Fixtures.DOMAIN));
  }

  @Test
  void aQuorumOfTheSnapshotOnTheJobsHeadPasses() {
    assertThat(validate(submit(first, KEYS.subList(0, 3)))).isEmpty();
    assertThat(validate(submit(first, KEYS.subList(0, 4)))).isEmpty();
  }

  @Test
  void theTwoThirdsStakeShareIsLeftToTheProposerSide() {
    // PoLAnchor v2 weighs stakes by epoch, which a transaction rule cannot see: judging the share
    // here could refuse what the contract accepts (SubmissionSelectorFactoryTest covers it).
    assertThat(validate(submit(first, KEYS.subList(0, 2)))).isEmpty();
  }

  @Test
  void signersThatLeftTheSetAreRejected() {
    KEYS.subList(0, 4).forEach(k -> state.apply(Fixtures.left(k, STAKE, 3)));
    KEYS.subList(4, 6).forEach(k -> state.apply(Fixtures.joined(k, STAKE, 3)));
    assertThat(validate(submit(first, KEYS.subList(0, 2))))
        .hasValueSatisfying(r -> assertThat(r).contains("quorum: signer", "is not in the validator set"));
    assertThat(validate(submit(first, KEYS.subList(0, 3))))
        .hasValueSatisfying(r -> assertThat(r).contains("quorum: 3 signatures for 2 validators"));
    assertThat(validate(submit(first, KEYS.subList(4, 6)))).isEmpty();
  }

  @Test
  void aHeaderOffTheJobsChainIsRejected() {
    assertThat(validate(submit(header(1, Head.ZERO), KEYS.subList(0, 3))))
        .hasValueSatisfying(r -> assertThat(r).contains("chain: job 1 expects block index 0, header has 1"));
    state.apply(Fixtures.anchored(first, KEYS.subList(0, 3), 5));
    final PoLHeader orphan = header(1, Fixtures.keccak("not the parent"));
    assertThat(validate(submit(orphan, KEYS.subList(0, 3))))
        .hasValueSatisfying(r -> assertThat(r).contains("chain: job 1's last block is 0x", "header's parent is"));
    final PoLHeader gap = new PoLHeader(BigInteger.ONE, 1, first.blockHash(), 11, 20, Fixtures.b32(Fixtures.keccak("s")),
        Fixtures.b32(Fixtures.keccak("p")), Fixtures.b32(Fixtures.keccak("c")), Fixtures.b32(Fixtures.keccak("r")), 50);
    assertThat(validate(submit(gap, KEYS.subList(0, 3)))).hasValueSatisfying(r -> assertThat(r).contains("continues at step 10, header starts at 11"));
    assertThat(validate(submit(header(1, Fixtures.hash(first)), KEYS.subList(0, 3)))).isEmpty();
  }

  @Test
  void garbageCalldataAndBadSignaturesAreRejectedWithAReason() {
    final byte[] garbage = new byte[4 + 64];
    System.arraycopy(SubmitCall.SELECTOR, 0, garbage, 0, 4);
    assertThat(validate(garbage)).hasValueSatisfying(r -> assertThat(r).startsWith(SubmissionRule.PREFIX + "calldata: too short"));

    final List<byte[]> ascending = SubmitCall.decode(submit(first, KEYS.subList(0, 3))).signatures();
    final List<byte[]> descending = List.of(ascending.get(2), ascending.get(1), ascending.get(0));
    assertThat(validate(new SubmitCall(first, descending).encode())).hasValueSatisfying(r -> assertThat(r).contains("signers must ascend"));
    assertThat(validate(new SubmitCall(first, List.of(ascending.get(0), ascending.get(0))).encode()))
        .hasValueSatisfying(r -> assertThat(r).contains("signature 1 repeats signer"));
    assertThat(validate(new SubmitCall(first, List.of(highS(ascending.get(0)))).encode()))
        .hasValueSatisfying(r -> assertThat(r).contains("signature 0 is not a valid low-s ECDSA signature"));
    assertThat(validate(new SubmitCall(first, List.of()).encode())).hasValueSatisfying(r -> assertThat(r).contains("quorum: no signatures"));
    final Credentials outsider = Credentials.create("0x0000000000000000000000000000000000000000000000000000000000000042");
    assertThat(validate(submit(first, List.of(KEYS.get(0), KEYS.get(1), outsider))))
        .hasValueSatisfying(r -> assertThat(r).contains("signer " + outsider.getAddress().toLowerCase() + " is not in the validator set"));
  }

  @Test
  void otherTransactionsAreUntouched() {
    final byte[] bad = new byte[4 + 64];
    System.arraycopy(SubmitCall.SELECTOR, 0, bad, 0, 4);
    assertThat(rule.validate(StandInBesu.tx("0x000000000000000000000000000000000000dead", bad))).isEmpty();
    assertThat(rule.validate(StandInBesu.tx(ANCHOR, Numeric.hexStringToByteArray("0x8da5cb5b")))).isEmpty();
    assertThat(rule.validate(StandInBesu.tx(null, bad))).isEmpty();
    assertThat(rule.validate(StandInBesu.tx(ANCHOR.toUpperCase().replace("0X", "0x"), bad))).isPresent();
    assertThat(rule.cached()).isEqualTo(1);
  }

  @Test
  void verdictsAreCachedByTransactionHashUntilTheStateChanges() {
    final Transaction next = StandInBesu.tx(ANCHOR, submit(header(1, Fixtures.hash(first)), KEYS.subList(0, 3)));
    assertThat(rule.validate(next)).isPresent();
    assertThat(rule.validate(next)).isPresent();
    assertThat(rule.cached()).isEqualTo(1);
    state.apply(Fixtures.anchored(first, KEYS.subList(0, 3), 5));
    assertThat(rule.validate(next)).isEmpty();
    assertThat(rule.cached()).isEqualTo(1);
  }

  @Test
  void aLogThePluginCannotDecodeIsSkippedAndChangesNothing() {
    final long before = state.version();
    final var good = Fixtures.anchored(first, KEYS.subList(0, 3), 5);
    state.apply(new io.tensorlink.besu.anchor.ChainLog(good.address(), good.topics(), "0x1234", 5));
    state.apply(new io.tensorlink.besu.anchor.ChainLog(ANCHOR, List.of(Fixtures.keccak("SomethingNew(uint256)")), "0x", 5));
    assertThat(state.version()).isEqualTo(before);
    assertThat(state.head(BigInteger.ONE)).isEqualTo(Head.GENESIS);
    state.apply(good);
    assertThat(state.head(BigInteger.ONE).nextIndex()).isEqualTo(1);
  }

  @Test
  void blockCommittedSuppliesTheAnchoredBlocksRandomness() {
    state.apply(Fixtures.anchored(first, KEYS.subList(0, 3), 5));
    state.apply(Fixtures.committed(first, 5));
    assertThat(state.commitment(BigInteger.ONE, 0)).hasValueSatisfying(c -> {
      assertThat(c.randomness()).isEqualTo(first.randomness().toHexString());
      assertThat(c.randomnessBlock()).isEqualTo(first.randomnessBlock());
    });
    assertThat(state.commitment(BigInteger.ONE, 1)).isEmpty();
  }

  private Optional<String> validate(final byte[] calldata) {
    return rule.validate(StandInBesu.tx(ANCHOR, calldata));
  }

  private static byte[] highS(final byte[] sig) {
    final BigInteger n = org.web3j.crypto.Sign.CURVE_PARAMS.getN();
    final BigInteger s = new BigInteger(1, java.util.Arrays.copyOfRange(sig, 32, 64));
    final byte[] out = sig.clone();
    System.arraycopy(Numeric.toBytesPadded(n.subtract(s), 32), 0, out, 32, 32);
    out[64] = (byte) (sig[64] == 27 ? 28 : 27);
    return out;
  }
}
