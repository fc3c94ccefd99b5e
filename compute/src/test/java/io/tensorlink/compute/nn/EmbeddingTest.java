package io.tensorlink.compute.nn;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tensorlink.compute.backend.CpuBackend;
import io.tensorlink.compute.tensor.NamedTensors;
import io.tensorlink.compute.tensor.Tensor;
import org.junit.jupiter.api.Test;

class EmbeddingTest {

  @Test
  void aTokenIdOutsideTheVocabularyIsNamedEvenFromAWorkerThread() {
    final Embedding e = new Embedding("wte", 8, 4, 16);
    final NamedTensors params = NamedTensors.builder()
        .add("wte.weight", Tensor.zeros(8, 4)).add("wte.position", Tensor.zeros(16, 4)).build();
    final float[] ids = new float[2 * 16];
    ids[31] = 8; // the last token, in the second thread's half
    try (CpuBackend cpu = CpuBackend.withThreads(2)) {
      assertThatThrownBy(() -> e.forward(Pass.inference(cpu, params), Tensor.of(ids, 2, 16)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("layer 'wte' (embedding): token id 8.0 outside [0, 8)");
      ids[31] = 2.5f;
      assertThatThrownBy(() -> e.forward(Pass.inference(cpu, params), Tensor.of(ids, 2, 16)))
          .hasMessageContaining("token id 2.5");
    }
  }
}
