package io.tensorlink.compute.cuda;

import static org.bytedeco.cuda.global.cudart.cudaGetDeviceCount;
import static org.bytedeco.cuda.global.cudart.cudaSuccess;

import java.util.Optional;
import org.bytedeco.javacpp.Loader;

/**
 * Finds out, without failing, whether a CUDA device is usable: the bytedeco natives load (they
 * are not on the default classpath; see compute/README.md) and the runtime reports a device.
 * Only {@link #unavailableReason()} touches native code, so merely loading this class is safe.
 */
public final class CudaProbe {

  private CudaProbe() {}

  /** Empty when a device is usable, else why not (for logs and skipped tests). */
  public static Optional<String> unavailableReason() {
    try {
      Loader.load(org.bytedeco.cuda.global.cudart.class);
      Loader.load(org.bytedeco.cuda.global.cublas.class);
      Loader.load(org.bytedeco.cuda.global.cudnn.class);
    } catch (UnsatisfiedLinkError | NoClassDefFoundError | ExceptionInInitializerError e) {
      return Optional.of("CUDA natives did not load (" + firstLine(e)
          + "); needs bytedeco's cuda-platform jars on the classpath (mvn -Pcuda) and the CUDA 12.9 and cuDNN 9"
          + " libraries with a driver on the machine");
    }
    final int[] count = new int[1];
    final int status = cudaGetDeviceCount(count);
    if (status != cudaSuccess) {
      return Optional.of("cudaGetDeviceCount failed with status " + status + " (no driver or no device)");
    }
    if (count[0] == 0) {
      return Optional.of("the CUDA runtime reports no devices");
    }
    return Optional.empty();
  }

  private static String firstLine(final Throwable e) {
    final String m = String.valueOf(e.getMessage());
    final int nl = m.indexOf('\n');
    return e.getClass().getSimpleName() + ": " + (nl < 0 ? m : m.substring(0, nl));
  }
}
