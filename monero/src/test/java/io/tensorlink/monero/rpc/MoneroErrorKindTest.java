package io.tensorlink.monero.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The messages are those monero 0.18.0.0 wallet-rpc returned in the regtest runs (notes/monero.md). */
class MoneroErrorKindTest {
  @Test
  void multisigDisabledGetsTheHowToEnableHint() {
    final MoneroRpcException e = new MoneroRpcException("export_multisig_info", -48, "This wallet is multisig, and multisig"
        + " is disabled. Multisig is an experimental feature and may have bugs.", MoneroErrorKind.classify(-48, "x"), null);
    assertThat(e.kind()).isEqualTo(MoneroErrorKind.MULTISIG_DISABLED);
    assertThat(e.getMessage()).startsWith("export_multisig_info failed (code -48): This wallet is multisig")
        .contains("enable_multisig_experimental", "set enable-multisig-experimental 1");
  }

  @Test
  void unlockedMoneyImportNeededAndSignerCounts() {
    assertThat(MoneroErrorKind.classify(-37, "not enough unlocked money")).isEqualTo(MoneroErrorKind.NOT_ENOUGH_UNLOCKED_MONEY);
    assertThat(MoneroErrorKind.classify(-17, "not enough money")).isEqualTo(MoneroErrorKind.NOT_ENOUGH_MONEY);
    assertThat(MoneroErrorKind.classify(-16, "No transaction created")).isEqualTo(MoneroErrorKind.MULTISIG_IMPORT_NEEDED);
    assertThat(MoneroErrorKind.classify(-33, "Needs multisig info from more participants"))
        .isEqualTo(MoneroErrorKind.MULTISIG_IMPORT_NEEDED);
    assertThat(MoneroErrorKind.classify(-33, "Not enough signers signed this transaction."))
        .isEqualTo(MoneroErrorKind.MULTISIG_NOT_ENOUGH_SIGNERS);
    assertThat(MoneroErrorKind.classify(-35, "Failed to sign multisig tx: Transaction already signed by this private key"))
        .isEqualTo(MoneroErrorKind.ALREADY_SIGNED);
    assertThat(MoneroErrorKind.classify(-34, "cannot load multisig_txset")).isEqualTo(MoneroErrorKind.BAD_MULTISIG_TX);
    assertThat(MoneroErrorKind.classify(-13, "No wallet file")).isEqualTo(MoneroErrorKind.WALLET_NOT_OPEN);
    assertThat(MoneroErrorKind.classify(-1, "Failed to open wallet")).isEqualTo(MoneroErrorKind.OTHER);
  }

  @Test
  void credentialsNeverPrintThePassword() {
    final RpcEndpoint e = RpcEndpoint.loopback(18082).withCredentials(new RpcEndpoint.Credentials("tl", "s3cret"));
    assertThat(e.toString()).doesNotContain("s3cret").contains("user tl");
    assertThat(e.credentials().orElseThrow().toString()).doesNotContain("s3cret");
  }
}
