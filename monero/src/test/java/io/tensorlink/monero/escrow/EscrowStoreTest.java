package io.tensorlink.monero.escrow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EscrowStoreTest {
  private static final EscrowTerms TERMS = new EscrowTerms("job-1/0xABC", Map.of(Role.CLIENT, "c", Role.WORKER, "w",
      Role.ARBITER, "a"), 10_000, 10, 100, 50, "4worker", "4client", "4arbiter");

  @TempDir
  Path dir;

  @Test
  void savesAndLoadsEverySetupAndPayoutField() {
    final EscrowStore store = new EscrowStore(dir);
    final EscrowRecord r = new EscrowRecord(TERMS, Role.WORKER, "escrow-x");
    r.startRound(1);
    r.putOwnRound(1, "MultisigxV2R1me", null);
    r.putPeerRound(1, Role.CLIENT, "MultisigxV2R1c", null);
    r.putPeerRound(3, Role.ARBITER, "MultisigxV2Rn", "4addr");
    r.setPending(new EscrowRecord.Pending(EscrowMessage.Settlement.Kind.RELEASE, "c", "set", "key",
        java.util.List.of(new io.tensorlink.monero.rpc.WalletRpc.Destination(5, "4worker"))));
    store.save(r);
    final EscrowRecord back = store.load(TERMS.escrowId()).orElseThrow();
    assertThat(back.setupRound()).isEqualTo(1);
    assertThat(back.ownRound(1)).contains("MultisigxV2R1me");
    assertThat(back.peerRound(1)).containsEntry(Role.CLIENT, "MultisigxV2R1c");
    assertThat(back.peerAddresses()).containsEntry(Role.ARBITER, "4addr");
    assertThat(back.pending()).isEqualTo(r.pending());
    assertThat(back.terms()).isEqualTo(TERMS);
    assertThat(store.file(TERMS.escrowId()).getFileName().toString()).matches("job-1_0xABC-[0-9a-f]{12}\\.json");
    assertThat(store.load("job-2/other")).isEmpty();
  }

  @Test
  void aCorruptFileIsAClearError() throws IOException {
    final EscrowStore store = new EscrowStore(dir);
    Files.writeString(store.file(TERMS.escrowId()), "{broken");
    assertThatThrownBy(() -> store.load(TERMS.escrowId())).hasMessageContaining("is unreadable");
  }

  @Test
  void termsValidateTheirParties() {
    assertThatThrownBy(() -> new EscrowTerms("j", Map.of(Role.CLIENT, "c", Role.WORKER, "c", Role.ARBITER, "a"),
        10_000, 10, 100, 50, "w", "c", "a")).hasMessageContaining("three different signers");
    assertThatThrownBy(() -> new EscrowTerms("j", Map.of(Role.CLIENT, "c", Role.WORKER, "w", Role.ARBITER, "a"),
        150, 10, 100, 50, "w", "c", "a")).hasMessageContaining("does not cover the arbiter fee and two tx fees");
    assertThat(TERMS.roleOf("w")).contains(Role.WORKER);
    assertThat(TERMS.hash()).hasSize(64).isEqualTo(new EscrowTerms("job-1/0xABC", Map.of(Role.ARBITER, "a",
        Role.WORKER, "w", Role.CLIENT, "c"), 10_000, 10, 100, 50, "4worker", "4client", "4arbiter").hash());
  }
}
