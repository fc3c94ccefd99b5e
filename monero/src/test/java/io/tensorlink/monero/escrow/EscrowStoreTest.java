package io.tensorlink.monero.escrow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EscrowStoreTest {
  private static final EscrowTerms TERMS = new EscrowTerms("job-1/0xABC", Map.of(Role.CLIENT, "c", Role.WORKER, "w",
      Role.ARBITER, "a"), 10_000, 10, 100, 50, "4worker", "4client", "4arbiter");

  private static final byte[] ACCOUNT = "an account private key, 32 bytes".getBytes(StandardCharsets.UTF_8);

  @TempDir
  Path dir;

  @Test
  void savesAndLoadsEverySetupAndPayoutField() {
    final EscrowStore store = new EscrowStore(dir, StoreKey.fromAccountKey(ACCOUNT));
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
    assertThat(store.file(TERMS.escrowId()).getFileName().toString()).matches("job-1_0xABC-[0-9a-f]{12}\\.escrow");
    assertThat(store.load("job-2/other")).isEmpty();
  }

  @Test
  void theFileHoldsNoPlaintextAndAWrongKeyIsAClearError() throws IOException {
    final EscrowStore store = new EscrowStore(dir, StoreKey.fromPassword("a long store password".toCharArray(), dir));
    final EscrowRecord r = new EscrowRecord(TERMS, Role.CLIENT, "escrow-y");
    r.putOwnRound(1, "MultisigxV2R1secretKeyExchangeMessage", null);
    r.putPeerRound(1, Role.WORKER, "MultisigxV2R1workersMessage", null);
    store.save(r);
    final byte[] raw = Files.readAllBytes(store.file(TERMS.escrowId()));
    final String asText = new String(raw, StandardCharsets.ISO_8859_1);
    assertThat(asText).startsWith("TLXS1").doesNotContain("Multisig").doesNotContain("secretKey").doesNotContain("job-1")
        .doesNotContain("4worker");
    assertThat(store.load(TERMS.escrowId()).orElseThrow().ownRound(1)).contains("MultisigxV2R1secretKeyExchangeMessage");
    // The same password again (salt kept in the folder) opens it; another password does not.
    assertThat(new EscrowStore(dir, StoreKey.fromPassword("a long store password".toCharArray(), dir)).load(TERMS.escrowId()))
        .isPresent();
    assertThatThrownBy(() -> new EscrowStore(dir, StoreKey.fromPassword("another password".toCharArray(), dir))
        .load(TERMS.escrowId()))
        .isInstanceOf(EscrowException.class)
        .hasMessageContaining("does not decrypt with this password: wrong password, or the file was changed or renamed");
    assertThatThrownBy(() -> new EscrowStore(dir, StoreKey.fromAccountKey(ACCOUNT)).list())
        .hasMessageContaining("does not decrypt with this account key");
    assertThatThrownBy(() -> StoreKey.fromPassword(new char[0], dir)).hasMessageContaining("password is empty");
    assertThat(StoreKey.fromAccountKey(ACCOUNT).toString()).isEqualTo("StoreKey[account key]");
  }

  @Test
  void aTamperedRenamedOrPlaintextFileIsAClearError() throws IOException {
    final EscrowStore store = new EscrowStore(dir, StoreKey.fromAccountKey(ACCOUNT));
    store.save(new EscrowRecord(TERMS, Role.WORKER, "escrow-x"));
    final Path f = store.file(TERMS.escrowId());
    final byte[] raw = Files.readAllBytes(f);
    raw[raw.length - 20] ^= 1;
    Files.write(f, raw);
    assertThatThrownBy(() -> store.load(TERMS.escrowId())).hasMessageContaining("does not decrypt");

    store.save(new EscrowRecord(TERMS, Role.WORKER, "escrow-x"));
    final String other = "job-2/other";
    Files.move(f, store.file(other));
    assertThatThrownBy(() -> store.load(other)).hasMessageContaining("changed or renamed");

    Files.writeString(store.file(TERMS.escrowId()), "{\"terms\":{}}");
    assertThatThrownBy(() -> store.load(TERMS.escrowId())).hasMessageContaining("is not an encrypted escrow file");
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
