package io.tensorlink.compute.cuda;

/** A CUDA runtime, cuBLAS or cuDNN call failed; the message names the call and the status. */
public final class CudaException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public CudaException(final String message) {
    super(message);
  }

  public CudaException(final String message, final Throwable cause) {
    super(message, cause);
  }
}
