package io.tensorlink.compute.data;

/** A dataset could not be loaded or indexed; the message names the file or index and the problem. */
public final class DatasetException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public DatasetException(final String message) {
    super(message);
  }

  public DatasetException(final String message, final Throwable cause) {
    super(message, cause);
  }
}
