package io.tensorlink.cli.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.tensorlink.cli.CliRun;
import io.tensorlink.cli.ExitCodes;
import io.tensorlink.compute.spec.ModelSpecs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelCommandTest {
  @TempDir Path dataDir;

  @Test
  void inspectsAShippedSpecByName() throws Exception {
    final CliRun run = CliRun.run(dataDir, "model", "inspect", "mlp");
    assertThat(run.exitCode()).as(run.err()).isZero();
    // 784-512-512-10: weights and biases of three linear layers.
    final long expected = 784L * 512 + 512 + 512L * 512 + 512 + 512L * 10 + 10;
    assertThat(run.out()).contains("parameters: " + expected).contains("-> output: [10]");
    final Path file = CliRun.repositoryRoot().resolve("models").resolve("mlp.json");
    final String hash = "0x" + HexFormat.of().formatHex(ModelSpecs.specHash(ModelSpecs.read(file)));
    assertThat(run.out().strip().lines().reduce((a, b) -> b)).contains("specHash=" + hash);
  }

  @Test
  void theHashIgnoresFormattingButNotContent() throws Exception {
    final String json = Files.readString(CliRun.repositoryRoot().resolve("models").resolve("mlp.json"));
    final Path reformatted = Files.writeString(dataDir.resolve("a.json"), json.replace("\n", "\n\n  "));
    final CliRun same = CliRun.run(dataDir, "model", "inspect", reformatted.toString());
    final CliRun original = CliRun.run(dataDir, "model", "inspect", "mlp");
    assertThat(lastLine(same)).isEqualTo(lastLine(original));

    final Path changed = Files.writeString(dataDir.resolve("b.json"), json.replaceFirst("512", "256"));
    assertThat(lastLine(CliRun.run(dataDir, "model", "inspect", changed.toString()))).isNotEqualTo(lastLine(original));
  }

  @Test
  void anInvalidSpecIsAConfigErrorNamingTheProblem() throws Exception {
    final Path bad = Files.writeString(dataDir.resolve("bad.json"), "{\"name\":\"x\",\"input\":[4],\"loss\":\"mse\",\"layers\":[{\"type\":\"warp\"}]}");
    final CliRun run = CliRun.run(dataDir, "model", "inspect", bad.toString());
    assertThat(run.exitCode()).isEqualTo(ExitCodes.CONFIG);
    assertThat(run.err().strip().lines()).singleElement().asString().startsWith("error: ").contains("warp");
  }

  @Test
  void aFractionInAnIntegerFieldIsRefusedWithFileAndLine() throws Exception {
    final Path spec = Files.writeString(dataDir.resolve("frac.json"), """
        {"name":"x","input":[4],"loss":"mse",
         "layers":[{"type":"linear","name":"fc","out":1.5}]}""");
    final CliRun run = CliRun.run(dataDir, "model", "inspect", spec.toString());
    assertThat(run.exitCode()).isEqualTo(ExitCodes.CONFIG);
    assertThat(run.err().strip()).isEqualTo("error: " + spec + ": line 2, column 47: layers[0].out: expected an integer, got 1.5");
    assertThat(run.out()).doesNotContain("specHash");
  }

  @Test
  void anUnknownModelNameIsAUsageError() {
    final CliRun run = CliRun.run(dataDir, "model", "inspect", "no-such-model");
    assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err()).contains("model spec 'no-such-model' not found");
  }

  private static String lastLine(final CliRun run) {
    return run.out().strip().lines().reduce((a, b) -> b).orElseThrow();
  }

  @Test
  void listShowsTheShippedSpecsWithTheirHashes() {
    final CliRun list = CliRun.run(dataDir, "model", "list");
    assertThat(list.exitCode()).as(list.err()).isZero();
    final CliRun mlp = CliRun.run(dataDir, "model", "inspect", "mlp");
    final String hash = mlp.out().lines().filter(l -> l.startsWith("specHash=")).findFirst().orElseThrow().substring(9);
    assertThat(list.out()).containsPattern("mlp +[0-9,]+ params  " + hash).contains("cnn", "gpt-char");
  }
}
