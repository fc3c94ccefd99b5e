package io.tensorlink.chain.pol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tensorlink.compute.optim.AdamW;
import io.tensorlink.compute.optim.LrSchedule;
import java.math.BigInteger;
import org.junit.jupiter.api.Test;

class JobSpecTest {
  static JobSpec spec() {
    return new JobSpec(Abi.keccak("mlp"), Abi.keccak("data"), 1000, AdamW.defaults(), new LrSchedule.Constant(1e-3f),
        0f, 8, 42, 100, true, 2, 2, 50_000, VerifyMode.EXACT, 0, 10, BigInteger.valueOf(10).pow(15));
  }

  @Test
  void canonicalJsonIsSortedCompactAndParsesBack() {
    final JobSpec s = spec();
    final String json = s.canonicalJson();
    assertThat(json).startsWith("{\"batch\":8,\"dataset\":{\"root\":\"0x").doesNotContain(" ")
        .contains("\"optimizer\":{\"beta1\":0.9,\"beta2\":0.999,\"eps\":1.0E-8,\"name\":\"adamw\",\"weightDecay\":0.01}")
        .contains("\"pricePerStep\":\"1000000000000000\"")
        .contains("\"verification\":{\"blockSteps\":10,\"mode\":\"exact\",\"ratePpm\":50000,\"tolerancePpmL2\":0}");
    assertThat(JobSpec.parse(json)).isEqualTo(s);
    final String reordered = "{ \"steps\": 100, " + json.substring(1).replace("\"steps\":100,", "");
    assertThat(JobSpec.parse(reordered).paramsHash()).isEqualTo(s.paramsHash());
    assertThat(s.paramsHash()).isEqualTo(Abi.keccak(json));
  }

  @Test
  void badSpecsNameTheKey() {
    final String json = spec().canonicalJson();
    assertThatThrownBy(() -> JobSpec.parse(json.replace("\"seed\":42,", "\"seed\":42,\"extra\":1,")))
        .hasMessageContaining("unknown key 'extra'");
    assertThatThrownBy(() -> JobSpec.parse(json.replace("\"seed\":42,", "")))
        .hasMessageContaining("missing key 'seed'");
    assertThatThrownBy(() -> JobSpec.parse(json.replace("\"ratePpm\":50000", "\"ratePpm\":0")))
        .hasMessageContaining("verify rate must be in [1, 1000000] ppm");
    assertThatThrownBy(() -> JobSpec.parse(json.replace("\"mode\":\"exact\"", "\"mode\":\"fuzzy\"")))
        .hasMessageContaining("verification.mode must be exact or tolerant");
    assertThatThrownBy(() -> JobSpec.parse(json.replace("\"batch\":8", "\"batch\":\"8\"")))
        .hasMessageContaining("job spec.batch must be an integer");
    assertThatThrownBy(() -> JobSpec.parse("[1]")).hasMessageContaining("job spec must be a JSON object");
    assertThatThrownBy(() -> JobSpec.parse("{")).hasMessageContaining("job spec is not JSON");
    assertThatThrownBy(() -> new JobSpec(Abi.keccak("m"), Abi.keccak("d"), 1000, AdamW.defaults(),
        new LrSchedule.Constant(1e-3f), 1f, 8, 1, 10, true, 2, 1, 1000, VerifyMode.EXACT, 0, 10, BigInteger.ONE))
        .hasMessageContaining("gradClip must be 0 with 2 stages");
    assertThatThrownBy(() -> new JobSpec(Abi.keccak("m"), Abi.keccak("d"), 1000, AdamW.defaults(),
        new LrSchedule.Constant(1e-3f), 0f, 8, 1, 10, true, 1, 1, 1000, VerifyMode.TOLERANT, 0, 10, BigInteger.ONE))
        .hasMessageContaining("tolerancePpmL2 must be 0 in exact mode and > 0 in tolerant mode");
  }
}
