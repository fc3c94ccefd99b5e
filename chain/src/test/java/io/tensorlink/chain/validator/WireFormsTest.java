package io.tensorlink.chain.validator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tensorlink.chain.pol.Attestation;
import io.tensorlink.chain.pol.PoLHeader;
import io.tensorlink.chain.pol.TestKeys;
import io.tensorlink.chain.validator.pol.PolHeaders;
import org.apache.tuweni.bytes.Bytes32;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Round trips of the validator's wire and stored forms, and the errors malformed input gets. */
class WireFormsTest {
  private static final Attestation ATT = Attestation.sign(header(), List.of(
      new Attestation.SampleVerdict(b32(4), Attestation.Verdict.VALID), new Attestation.SampleVerdict(b32(5), Attestation.Verdict.VALID)),
      TestKeys.DOMAIN, TestKeys.ANVIL.get(2));

  @Test
  void attestationsAndProposalsRoundTrip() {
    final PolMessage.Vote vote = (PolMessage.Vote) PolMessage.decode(new PolMessage.Vote(BigInteger.valueOf(12), 3, ATT).encode());
    assertThat(vote.attestation()).isEqualTo(ATT);
    assertThat(vote.block()).isEqualTo(new io.tensorlink.chain.store.BlockKey(BigInteger.valueOf(12), 3));
    assertThat(vote.attestation().valid(header(), TestKeys.DOMAIN)).isTrue();
    final BlockCandidate header = PolHeaders.candidate(header());
    final PolMessage.Proposal p = (PolMessage.Proposal) PolMessage.decode(new PolMessage.Proposal(header.encoded(), ATT).encode());
    assertThat(p.header()).isEqualTo(header.encoded());
    assertThat(p.proposer()).isEqualTo(ATT);
    assertThat(PolHeaders.candidate(PolHeaders.decode(p.header()))).isEqualTo(header);
    assertThat(header.blockHash()).isEqualTo(header().blockHash().toArray());
    assertThat(header.stepFrom()).isEqualTo(30);
    assertThat(header.stepTo()).isEqualTo(40);
  }

  @Test
  void storedJobStateAndBlockEntriesRoundTrip() {
    final JobState job = JobState.created(BigInteger.TWO, filled(32, 9))
        .assigned(filled(32, 8), List.of("0x90F79bf6EB2c4f870365E785982E1f101E93b906"))
        .anchored(0, 10, filled(32, 7));
    final JobState back = JobState.decode(job.encode());
    assertThat(back.encode()).isEqualTo(job.encode());
    assertThat(back.workers()).containsExactly("0x90f79bf6eb2c4f870365e785982e1f101e93b906");
    assertThat(back.nextIndex()).isEqualTo(1);
    assertThat(back.nextStep()).isEqualTo(10);
    assertThat(back.status()).isEqualTo(JobState.Status.ACTIVE);

    final BlockCandidate candidate = PolHeaders.candidate(header());
    final BlockEntry entry = BlockEntry.signed(candidate);
    final BlockEntry decoded = BlockEntry.decode(entry.encode());
    assertThat(decoded.status()).isEqualTo(BlockEntry.Status.SIGNED);
    assertThat(decoded.header()).isEqualTo(candidate.encoded());
    assertThat(decoded.blockHash()).isEqualTo(candidate.blockHash());
  }

  @Test
  void malformedMessagesAreRejectedNamingWhatIsWrong() {
    assertThatThrownBy(() -> PolMessage.decode(new byte[] {1, 2, 3})).isInstanceOf(MalformedMessageException.class)
        .hasMessageContaining("PoL message");
    final byte[] vote = new PolMessage.Vote(BigInteger.ONE, 0, ATT).encode();
    assertThatThrownBy(() -> PolMessage.decode(Arrays.copyOf(vote, vote.length - 1))).isInstanceOf(MalformedMessageException.class);
    final byte[] trailing = Arrays.copyOf(vote, vote.length + 1);
    assertThatThrownBy(() -> PolMessage.decode(trailing)).isInstanceOf(MalformedMessageException.class);
    final byte[] kind9 = Rlp.encodeList(w -> {
      w.writeInt(9);
      w.writeByteArray(new byte[] {1});
    });
    assertThatThrownBy(() -> PolMessage.decode(kind9)).hasMessageContaining("unknown PoL message kind 9");
    final byte[] notAnAttestation = Rlp.encodeList(w -> {
      w.writeInt(PolMessage.ATTESTATION);
      w.writeBigInteger(BigInteger.ONE);
      w.writeLong(0);
      w.writeByteArray(new byte[64]);
    });
    assertThatThrownBy(() -> PolMessage.decode(notAnAttestation)).isInstanceOf(MalformedMessageException.class)
        .hasMessageContaining("malformed attestation");
    assertThatThrownBy(() -> PolHeaders.decode(io.tensorlink.chain.pol.wire.PolCodec.encode(ATT).toArray()))
        .isInstanceOf(MalformedMessageException.class)
        .hasMessageContaining("not a PoL header");
  }

  @Test
  void candidatesRejectEmptyRangesAndBadHashes() {
    assertThatThrownBy(() -> new BlockCandidate(BigInteger.ONE, 0, new byte[32], 5, 5, 1, new byte[32], new byte[0]))
        .hasMessageContaining("[5, 5) is empty");
    assertThatThrownBy(() -> new BlockCandidate(BigInteger.ONE, 0, new byte[31], 0, 5, 1, new byte[32], new byte[0]))
        .hasMessageContaining("32 bytes");
    assertThatThrownBy(() -> ValidatorConfig.defaults().withLeaderTimeout(java.time.Duration.ZERO))
        .hasMessageContaining("leaderTimeout must be positive");
  }

  private static PoLHeader header() {
    return new PoLHeader(BigInteger.valueOf(12), 3, b32(6), 30, 40, b32(7), b32(8), b32(9), b32(10), 42);
  }

  private static Bytes32 b32(final int value) {
    return Bytes32.wrap(filled(32, value));
  }

  private static byte[] filled(final int length, final int value) {
    final byte[] b = new byte[length];
    Arrays.fill(b, (byte) value);
    return b;
  }
}
