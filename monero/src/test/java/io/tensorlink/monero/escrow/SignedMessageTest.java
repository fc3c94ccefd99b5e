package io.tensorlink.monero.escrow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SignedMessageTest {
  private final Ed25519Signer alice = Ed25519Signer.generate();
  private final EscrowMessage.SetupRound round = new EscrowMessage.SetupRound("job-1/w", "ab", 2, "MultisigxV2Rn…", null);

  @Test
  void roundTripsOverTheWireAndOpensWithTheSignersKey() {
    final SignedMessage m = SignedMessage.fromWire(SignedMessage.sign(round, alice).toWire());
    assertThat(m.open(Ed25519Signer.VERIFIER)).isEqualTo(round);
    assertThat(m.unverifiedEscrowId()).contains("job-1/w");
  }

  @Test
  void aChangedBodyOrAnotherSignerIdFailsWithAClearError() {
    final SignedMessage m = SignedMessage.sign(round, alice);
    final SignedMessage changed = new SignedMessage(m.signer(), m.body().replace("\"round\":2", "\"round\":3"), m.signature());
    assertThatThrownBy(() -> changed.open(Ed25519Signer.VERIFIER)).isInstanceOf(EscrowException.class)
        .hasMessageContaining("bad signature on a message claiming to be from " + alice.signerId());
    final SignedMessage claimed = new SignedMessage(Ed25519Signer.generate().signerId(), m.body(), m.signature());
    assertThatThrownBy(() -> claimed.open(Ed25519Signer.VERIFIER)).hasMessageContaining("bad signature");
  }

  @Test
  void garbageAndOversizedWireInputAreRejected() {
    assertThatThrownBy(() -> SignedMessage.fromWire("{\"nope\":1}".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(EscrowException.class).hasMessageContaining("not a signed escrow message");
    assertThatThrownBy(() -> SignedMessage.fromWire(new byte[SignedMessage.MAX_WIRE_BYTES + 1]))
        .hasMessageContaining("exceeds");
    final SignedMessage unknownType = SignedMessage.sign(round, alice);
    final String forged = unknownType.body().replace("\"setup\"", "\"steal\"");
    final Ed25519Signer signer = alice;
    final SignedMessage resigned = new SignedMessage(signer.signerId(), forged,
        java.util.Base64.getEncoder().encodeToString(signer.sign(concat(SignedMessage.DOMAIN, forged))));
    assertThatThrownBy(() -> resigned.open(Ed25519Signer.VERIFIER)).hasMessageContaining("undecodable escrow message");
  }

  private static byte[] concat(final byte[] a, final String b) {
    final byte[] bb = b.getBytes(StandardCharsets.UTF_8);
    final byte[] out = java.util.Arrays.copyOf(a, a.length + bb.length);
    System.arraycopy(bb, 0, out, a.length, bb.length);
    return out;
  }
}
