package io.tensorlink.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --json output of the commands that need no chain: one object, the schema of docs/operations.md. */
class JsonOutputTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dataDir;

  @Test
  void configShowNamesEverySettingAndItsSource() throws IOException {
    Files.writeString(dataDir.resolve("config.properties"), "compute.threads=3\n");
    final JsonNode config = json(CliRun.run(dataDir, Map.of("TL_LOG_LEVEL", "warn"), "config", "show", "--json"), 0);
    assertThat(config.get("dataDir").asText()).isEqualTo(dataDir.toString());
    assertThat(config.at("/settings/compute.threads/value").asText()).isEqualTo("3");
    assertThat(config.at("/settings/compute.threads/source").asText()).isEqualTo("file");
    assertThat(config.at("/settings/log.level/source").asText()).isEqualTo("environment");
    assertThat(config.at("/settings/rpc.url").isMissingNode()).isTrue();
  }

  @Test
  void modelInspectGivesShapesParametersAndTheSpecHash() throws IOException {
    final CliRun text = CliRun.run(dataDir, "model", "inspect", "mlp");
    final JsonNode model = json(CliRun.run(dataDir, "model", "inspect", "mlp", "--json"), 0);
    assertThat(model.get("model").asText()).isEqualTo("mlp");
    assertThat(model.get("input").isArray()).isTrue();
    assertThat(model.get("parameters").get(0).get("name").isTextual()).isTrue();
    assertThat(model.get("parameterCount").asLong()).isPositive();
    assertThat(text.out()).endsWith("specHash=" + model.get("specHash").asText() + System.lineSeparator());
  }

  @Test
  void devnetStatusOfAStoppedDevnetIsStillAnObject() throws IOException {
    final JsonNode status = json(CliRun.run(dataDir, "devnet", "status", "--json"), ExitCodes.NOT_RUNNING);
    assertThat(status.get("running").asBoolean()).isFalse();
  }

  @Test
  void trainSummaryAndTheThreadsSetting() throws IOException {
    final JsonNode summary = json(CliRun.run(dataDir, Map.of("TL_COMPUTE_THREADS", "1"), "train", "--model", "mlp",
        "--dataset", "synthetic:64", "--steps", "2", "--batch", "16", "--backend", "cpu", "--json"), 0);
    assertThat(summary.get("threads").asInt()).isEqualTo(1);
    assertThat(summary.get("steps").asLong()).isEqualTo(2);
    assertThat(summary.get("paramsRoot").asText()).matches("0x[0-9a-f]{64}");
    assertThat(summary.get("checkpoint").isNull()).isTrue();

    final CliRun flag = CliRun.run(dataDir, Map.of("TL_COMPUTE_THREADS", "1"), "train", "--model", "mlp",
        "--dataset", "synthetic:64", "--steps", "1", "--batch", "16", "--backend", "cpu", "--threads", "2");
    assertThat(flag.out()).contains("threads: 2");
  }

  private static JsonNode json(final CliRun run, final int exitCode) throws IOException {
    assertThat(run.exitCode()).as(run.err()).isEqualTo(exitCode);
    assertThat(run.out().strip().lines()).as("one line of JSON").hasSize(1);
    return JSON.readTree(run.out());
  }
}
