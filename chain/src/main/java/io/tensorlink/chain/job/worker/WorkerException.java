package io.tensorlink.chain.job.worker;

/** A worker cannot go on with its job (a neighbour went silent, the job is over); the message says why. */
public final class WorkerException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public WorkerException(final String message) {
    super(message);
  }

  public WorkerException(final String message, final Throwable cause) {
    super(message, cause);
  }
}
