package io.tensorlink.chain.xmr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tensorlink.monero.regtest.MoneroRegtest;
import org.junit.jupiter.api.Test;

class MoneroAddressTest {
  private static final String GENERAL_FUND = MoneroRegtest.BURN_ADDRESS;

  @Test
  void aRealMainnetAddressPasses() {
    assertThat(MoneroAddress.check(" " + GENERAL_FUND + "\n")).isEqualTo(GENERAL_FUND);
  }

  @Test
  void oneWrongCharacterFailsTheChecksum() {
    final char c = GENERAL_FUND.charAt(50);
    final String typo = GENERAL_FUND.substring(0, 50) + (c == 'a' ? 'b' : 'a') + GENERAL_FUND.substring(51);
    assertThatThrownBy(() -> MoneroAddress.check(typo)).hasMessageContaining("checksum does not match");
  }

  @Test
  void badLengthAlphabetAndIntegratedAddressesAreNamed() {
    assertThatThrownBy(() -> MoneroAddress.check(GENERAL_FUND.substring(1))).hasMessageContaining("95 characters, this one 94");
    assertThatThrownBy(() -> MoneroAddress.check("0" + GENERAL_FUND.substring(1))).hasMessageContaining("'0' is not a Monero base58");
    assertThatThrownBy(() -> MoneroAddress.check(GENERAL_FUND + "12345678901")).hasMessageContaining("integrated addresses");
    assertThatThrownBy(() -> MoneroAddress.check("0x70997970C51812dc3A010C7d01b50e0d17dc79C8")).hasMessageContaining("95 characters");
  }
}
