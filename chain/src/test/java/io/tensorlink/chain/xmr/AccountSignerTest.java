package io.tensorlink.chain.xmr;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Credentials;

class AccountSignerTest {
  private final AccountSigner signer = new AccountSigner(
      Credentials.create("0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318"));

  @Test
  void signerIdIsTheLowercaseAccountAddress() {
    assertThat(signer.signerId()).isEqualTo("0x2c7536e3605d9c16a7a3d7b1898e529396a65c23");
  }

  @Test
  void verifiesItsOwnSignatureOnlyForThatMessageAndAccount() {
    final byte[] m = "escrow round 1".getBytes(StandardCharsets.UTF_8);
    final byte[] sig = signer.sign(m);
    assertThat(sig).hasSize(65);
    assertThat(AccountSigner.VERIFIER.verify(signer.signerId(), m, sig)).isTrue();
    assertThat(AccountSigner.VERIFIER.verify(signer.signerId().toUpperCase().replace("0X", "0x"), m, sig)).isTrue();
    assertThat(AccountSigner.VERIFIER.verify(signer.signerId(), "escrow round 2".getBytes(StandardCharsets.UTF_8), sig)).isFalse();
    assertThat(AccountSigner.VERIFIER.verify("0x0000000000000000000000000000000000000001", m, sig)).isFalse();
    final byte[] bad = sig.clone();
    bad[10] ^= 1;
    assertThat(AccountSigner.VERIFIER.verify(signer.signerId(), m, bad)).isFalse();
    assertThat(AccountSigner.VERIFIER.verify(signer.signerId(), m, new byte[64])).isFalse();
  }
}
