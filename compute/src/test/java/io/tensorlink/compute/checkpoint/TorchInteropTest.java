package io.tensorlink.compute.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tensorlink.compute.backend.CpuBackend;
import io.tensorlink.compute.data.GeneratedData;
import io.tensorlink.compute.nn.Model;
import io.tensorlink.compute.nn.Pass;
import io.tensorlink.compute.spec.ModelFactory;
import io.tensorlink.compute.tensor.NamedTensors;
import io.tensorlink.compute.tensor.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our safetensors export, read by an independent Python parser, loads into the equivalent
 * torch.nn model (same names order, same shapes) and gives the same logits.
 */
class TorchInteropTest {

  private static final Path PYTHON = Path.of("/usr/bin/python3");
  private static final Path TORCH_MODELS = Path.of("../bench/compute");

  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"mlp", "cnn", "gpt-char"})
  void pytorchLoadsOurExportAndReproducesTheLogits(final String name) throws Exception {
    assumeTrue(Files.isExecutable(PYTHON), "no " + PYTHON + ": PyTorch cross-check skipped");
    assumeTrue(run(PYTHON.toString(), "-c", "import torch, numpy") == 0,
        "python3-torch or python3-numpy not installed (apt-get install python3-torch python3-numpy): skipped");
    assumeTrue(Files.isRegularFile(TORCH_MODELS.resolve("torch_models.py")), "bench/compute/torch_models.py missing");
    final Path spec = Path.of("../models/" + name + ".json");
    final Model model = ModelFactory.load(spec);
    final NamedTensors params = model.initParams(11);
    final Path weights = dir.resolve(name + ".safetensors");
    Safetensors.write(weights, params, Map.of("format", "pt"));

    final Tensor x = name.startsWith("gpt") ? tokens(4, model.inputShape()[0], 128)
        : GeneratedData.images(4, 1, 28, 28, 10, 0.5f, 3).batch(new int[] {0, 1, 2, 3}).inputs();
    final Tensor logits;
    try (CpuBackend cpu = CpuBackend.withThreads(1)) {
      logits = model.forward(Pass.inference(cpu, params), x);
    }
    final Path in = Files.write(dir.resolve("x.f32"), littleEndian(x.data()));
    final Path out = Files.write(dir.resolve("y.f32"), littleEndian(logits.data()));
    final Path script = Path.of(TorchInteropTest.class.getResource("/checkpoint/torch_load.py").toURI());
    assertThat(run(PYTHON.toString(), script.toString(), TORCH_MODELS.toString(), spec.toString(), weights.toString(),
        in.toString(), out.toString())).isZero();
  }

  /** {@code batch} sequences of random token ids below {@code vocab}, held as floats. */
  private static Tensor tokens(final int batch, final int t, final int vocab) {
    final java.util.SplittableRandom rnd = new java.util.SplittableRandom(3);
    final float[] ids = new float[batch * t];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = rnd.nextInt(vocab);
    }
    return Tensor.of(ids, batch, t);
  }

  private static byte[] littleEndian(final float[] v) {
    final ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(v);
    return b.array();
  }

  private static int run(final String... cmd) throws IOException, InterruptedException {
    final Process p = new ProcessBuilder(cmd).inheritIO().start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      return -1;
    }
    return p.exitValue();
  }
}
