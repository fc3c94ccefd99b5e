package io.tensorlink.compute.cuda;

import static org.bytedeco.cuda.global.cudart.cudaFree;
import static org.bytedeco.cuda.global.cudart.cudaMalloc;
import static org.bytedeco.cuda.global.cudart.cudaMemcpy;
import static org.bytedeco.cuda.global.cudart.cudaMemcpyDeviceToHost;
import static org.bytedeco.cuda.global.cudart.cudaMemcpyHostToDevice;

import org.bytedeco.javacpp.FloatPointer;

/**
 * Device memory for {@code capacity} floats, with a pinned-size host staging area for copies.
 * The owner frees both with {@link #close()} (idempotent); nothing is freed by the GC.
 *
 * <p>Not thread-safe: one backend thread uses it.
 */
final class DeviceBuffer implements AutoCloseable {

  private final long capacity;
  private final FloatPointer device = new FloatPointer();
  private final FloatPointer host;
  private boolean closed;

  DeviceBuffer(final long capacity) {
    if (capacity <= 0) {
      throw new IllegalArgumentException("device buffer capacity must be positive, got " + capacity);
    }
    this.capacity = capacity;
    Status.cuda(cudaMalloc(device, capacity * Float.BYTES), "cudaMalloc(" + capacity * Float.BYTES + " bytes)");
    this.host = new FloatPointer(capacity);
  }

  long capacity() {
    return capacity;
  }

  /** The device pointer, for library calls. */
  FloatPointer pointer() {
    checkOpen();
    return device;
  }

  /** Copies {@code src[off, off+len)} to the start of the device buffer. */
  void upload(final float[] src, final int off, final int len) {
    checkOpen();
    checkLength(len);
    host.position(0).put(src, off, len);
    Status.cuda(cudaMemcpy(device, host, (long) len * Float.BYTES, cudaMemcpyHostToDevice), "cudaMemcpy H2D");
  }

  /** Copies the first {@code len} device floats into {@code dst[off, off+len)}. */
  void download(final float[] dst, final int off, final int len) {
    checkOpen();
    checkLength(len);
    Status.cuda(cudaMemcpy(host, device, (long) len * Float.BYTES, cudaMemcpyDeviceToHost), "cudaMemcpy D2H");
    host.position(0).get(dst, off, len);
  }

  private void checkLength(final int len) {
    if (len < 0 || len > capacity) {
      throw new IllegalArgumentException("copy of " + len + " floats into a device buffer of " + capacity);
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("device buffer already freed");
    }
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      cudaFree(device);
      host.deallocate();
    }
  }
}
