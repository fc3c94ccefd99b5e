package io.tensorlink.cli;

/** A failure a command reports as one line, with the exit code it maps to. */
public final class CliException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int exitCode;

  public CliException(final String message) {
    this(message, ExitCodes.FAILURE);
  }

  public CliException(final String message, final int exitCode) {
    super(message);
    this.exitCode = exitCode;
  }

  /** Keeps {@code cause}, so {@code --verbose} prints the trace of what actually failed. */
  public CliException(final String message, final int exitCode, final Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
  }

  public int exitCode() {
    return exitCode;
  }
}
