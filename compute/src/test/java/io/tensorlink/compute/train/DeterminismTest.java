package io.tensorlink.compute.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.tensorlink.compute.backend.CpuBackend;
import io.tensorlink.compute.checkpoint.ParamsRoot;
import io.tensorlink.compute.nn.Model;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The verification contract: bitwise identical parameters after N steps whatever the thread
 * count, with the SIMD path on or off, and with 128/256/512-bit vectors (child JVMs, since the
 * width is fixed per JVM).
 */
class DeterminismTest {

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {TinyModels.MLP, TinyModels.CNN, TinyModels.GPT, TinyModels.GPT_LONG})
  void parametersAreBitwiseIdenticalForThreadsAndSimd(final String json) {
    final Model model = TinyModels.model(json);
    final StepResult base = DeterminismProbe.train(model, 1, false);
    for (final int threads : new int[] {1, 2, 4}) {
      for (final boolean simd : new boolean[] {true, false}) {
        final StepResult r = DeterminismProbe.train(model, threads, simd);
        assertThat(r.params()).as("%s threads=%d simd=%s", model.name(), threads, simd).isEqualTo(base.params());
        assertThat(r.optState()).isEqualTo(base.optState());
        assertThat(Float.floatToRawIntBits(r.loss())).isEqualTo(Float.floatToRawIntBits(base.loss()));
        assertThat(r.gradRoot()).isEqualTo(base.gradRoot());
      }
    }
  }

  /**
   * The bits themselves, pinned: a kernel change that keeps every configuration equal to every
   * other but moves all of them (a new reduction order) fails here and must be documented as a
   * new canonical order. MLP and CNN are unchanged since before issue 15's kernels; the GPT roots
   * are those of the GEMM attention core (AttentionKernel).
   */
  @Test
  void paramsRootsArePinned() {
    final List<String> roots = new ArrayList<>();
    for (final String json : TinyModels.ALL) {
      final Model model = TinyModels.model(json);
      roots.add(model.name() + " " + ParamsRoot.hex(DeterminismProbe.train(model, 2, true).params()));
    }
    assertThat(roots).containsExactly(
        "mlp-tiny 0x46856ce2d17e74f9c6c4da43b709e2e5976f36edd5ba746df3bbbaf161de89cb",
        "cnn-tiny 0x0633356b996b8b761bfbbbe36253f05520d33cabe7db245079c49cc35689209b",
        "gpt-tiny 0x48f638f153f45ec45ed5bc35c24cd51dbc5c8215a263a64d265d039bf8e51b22",
        "gpt-long-tiny 0x40ecb5a0dccc6f22d229a15fa9bce8799dcfb0bf1454334f32bb7ea369b80582");
  }

  @Test
  void theProbeIsSensitiveToItsInputs() {
    // Guards the test above against comparing things that cannot differ.
    final Model model = TinyModels.model(TinyModels.MLP);
    final StepResult a = DeterminismProbe.train(model, 2, true);
    try (CpuBackend be = CpuBackend.withThreads(2)) {
      final var params = model.initParams(8);
      final var hp = TinyModels.hyperParams(2);
      final StepResult b = new TrainingStep(model, be)
          .apply(params, hp.optimizer().initState(params), TinyModels.batch(model, 8, 0), hp, 0);
      assertThat(b.params()).isNotEqualTo(a.params());
    }
  }

  @Test
  void vectorWidthDoesNotChangeTheBits() throws Exception {
    final List<String> expected = new ArrayList<>();
    for (final String json : TinyModels.ALL) {
      final Model model = TinyModels.model(json);
      expected.add(model.name() + " " + ParamsRoot.hex(DeterminismProbe.train(model, 2, true).params()));
    }
    for (final String bits : new String[] {"128", "256", "512"}) {
      final List<String> lines = new ArrayList<>(probe(bits));
      assertThat(lines.remove(0)).as("vector width in effect").isEqualTo("lanes " + Integer.parseInt(bits) / 32);
      assertThat(lines).as("tensorlink.simd.bits=%s", bits).containsExactlyElementsOf(expected);
    }
  }

  private static List<String> probe(final String bits) throws IOException, InterruptedException {
    final Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    final Process p = new ProcessBuilder(java.toString(), "--add-modules", "jdk.incubator.vector",
        "-Dtensorlink.simd.bits=" + bits, "-cp", System.getProperty("java.class.path"),
        DeterminismProbe.class.getName(), "2", "true")
        .redirectError(ProcessBuilder.Redirect.DISCARD)
        .start();
    final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("probe finished").isTrue();
    assertThat(p.exitValue()).as("probe exit code, output: %s", out).isZero();
    return out.lines().toList();
  }
}
