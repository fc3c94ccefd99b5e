package io.tensorlink.compute.checkpoint;

/** A checkpoint or safetensors file is unreadable, corrupt or does not fit the model. */
public final class CheckpointException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public CheckpointException(final String message) {
    super(message);
  }

  public CheckpointException(final String message, final Throwable cause) {
    super(message, cause);
  }
}
