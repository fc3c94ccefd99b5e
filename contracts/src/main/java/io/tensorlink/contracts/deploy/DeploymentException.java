package io.tensorlink.contracts.deploy;

/** A deployment could not be made, recorded or found; the message says what to do. */
public final class DeploymentException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public DeploymentException(final String message) {
    super(message);
  }

  public DeploymentException(final String message, final Throwable cause) {
    super(message, cause);
  }
}
