package io.tensorlink.compute.cuda;

import io.tensorlink.compute.backend.Backend;
import io.tensorlink.compute.backend.CpuBackend;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens the backend a caller asked for. CUDA is probed only when asked for or on {@code auto},
 * so CPU-only runs never touch native code; {@code auto} falls back to the CPU with a logged
 * reason, an explicit {@code cuda} fails with that reason instead.
 */
public final class Backends {

  private static final Logger LOG = LoggerFactory.getLogger(Backends.class);

  private Backends() {}

  /**
   * @param threads host threads (the CPU backend's workers, or the CUDA backend's host-side work)
   */
  public static Backend select(final BackendKind kind, final int threads) {
    if (kind == BackendKind.CPU) {
      return CpuBackend.withThreads(threads);
    }
    final Optional<String> unavailable = CudaProbe.unavailableReason();
    if (unavailable.isEmpty()) {
      LOG.info("using CUDA device 0");
      return new CudaBackend(0, CpuBackend.withThreads(threads));
    }
    if (kind == BackendKind.CUDA) {
      throw new CudaException("backend cuda requested but unavailable: " + unavailable.get());
    }
    LOG.info("CUDA unavailable, using the CPU backend: {}", unavailable.get());
    return CpuBackend.withThreads(threads);
  }
}
