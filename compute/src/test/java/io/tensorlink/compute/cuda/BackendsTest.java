package io.tensorlink.compute.cuda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tensorlink.compute.backend.Backend;
import io.tensorlink.compute.backend.CpuBackend;
import org.junit.jupiter.api.Test;

class BackendsTest {

  @Test
  void cpuIsChosenWithoutProbing() {
    try (Backend b = Backends.select(BackendKind.CPU, 1)) {
      assertThat(b).isInstanceOf(CpuBackend.class);
      assertThat(b.name()).isEqualTo("cpu");
    }
  }

  @Test
  void autoMatchesWhatTheProbeFinds() {
    final boolean gpu = CudaProbe.unavailableReason().isEmpty();
    try (Backend b = Backends.select(BackendKind.AUTO, 1)) {
      assertThat(b.name()).startsWith(gpu ? "cuda:" : "cpu");
    }
  }

  @Test
  void explicitCudaWithoutDeviceFailsWithTheReason() {
    final var reason = CudaProbe.unavailableReason();
    assumeTrue(reason.isPresent(), "a CUDA device is present: the no-device path cannot be exercised here");
    assertThatThrownBy(() -> Backends.select(BackendKind.CUDA, 1))
        .isInstanceOf(CudaException.class)
        .hasMessageContaining("backend cuda requested but unavailable")
        .hasMessageContaining(reason.get());
  }

  @Test
  void kindParsingNamesValidValues() {
    assertThat(BackendKind.parse(" Cuda ")).isEqualTo(BackendKind.CUDA);
    assertThatThrownBy(() -> BackendKind.parse("tpu")).hasMessageContaining("unknown backend 'tpu' (expected auto, cpu or cuda)");
  }
}
