package io.tensorlink.chain.job.result;

/** A job's result that cannot be fetched or does not match what is anchored; the message says why. */
public final class ResultRefusedException extends RuntimeException {
  public ResultRefusedException(final String message) {
    super(message);
  }
}
