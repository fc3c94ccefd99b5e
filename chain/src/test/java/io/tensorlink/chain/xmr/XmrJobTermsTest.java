package io.tensorlink.chain.xmr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class XmrJobTermsTest {
  private static final long XMR = 1_000_000_000_000L;

  @TempDir Path dataDir;

  @Test
  void termsWrittenForAJobAreReadBackAndATlJobHasNone() {
    final XmrJobTerms terms = new XmrJobTerms(XMR / 100, 10 * XMR, XMR / 20, XMR / 100);
    final Path file = terms.write(dataDir, BigInteger.valueOf(7));

    assertThat(file).isEqualTo(dataDir.resolve("xmr/jobs/job-7.json"));
    assertThat(XmrJobTerms.read(dataDir, BigInteger.valueOf(7))).contains(terms);
    assertThat(XmrJobTerms.read(dataDir, BigInteger.valueOf(8))).isEmpty();
  }

  @Test
  void aDamagedFileNamesTheFieldAndTheFile() throws Exception {
    final Path file = new XmrJobTerms(XMR / 100, 10 * XMR, XMR / 20, XMR / 100).write(dataDir, BigInteger.ONE);
    Files.writeString(file, Files.readString(file).replace("\"" + 10 * XMR + "\"", "\"-5\""));

    assertThatThrownBy(() -> XmrJobTerms.read(dataDir, BigInteger.ONE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("'deposit' must be a piconero amount");
  }

  @Test
  void aDepositThatCannotPayOneStepIsRefused() {
    assertThatThrownBy(() -> new XmrJobTerms(XMR, XMR / 10, XMR / 20, XMR / 100))
        .hasMessageContaining("does not cover the arbiter fee");
    assertThatThrownBy(() -> new XmrJobTerms(0, 10 * XMR, XMR / 20, XMR / 100))
        .hasMessageContaining("price per step and max tx fee must be positive");
  }

  @Test
  void tlLeavesBecomeTheSameStepsAtTheXmrPriceRoundedDown() {
    // 1.5 TL per step, 0.01 XMR per step: a leaf of 4 steps' TL (after fees) pays 4 steps' XMR.
    final AnchoredPayoutPolicy.Rate rate = new AnchoredPayoutPolicy.Rate(new BigInteger("1500000000000000000"), XMR / 100);
    assertThat(rate.piconero(new BigInteger("6000000000000000000"))).isEqualTo(BigInteger.valueOf(4 * XMR / 100));
    assertThat(rate.piconero(new BigInteger("1499999999999999999"))).isEqualTo(BigInteger.valueOf(XMR / 100 - 1));
    assertThatThrownBy(() -> new AnchoredPayoutPolicy.Rate(BigInteger.ZERO, XMR / 100))
        .hasMessageContaining("positive TL and XMR prices per step");
  }
}
