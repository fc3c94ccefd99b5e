package io.tensorlink.chain.job.result;

/** A {@code /tl/checkpoint/1.0.0} message that does not decode; the message names what is wrong. */
public final class MalformedCheckpointException extends RuntimeException {
  public MalformedCheckpointException(final String message) {
    super(message);
  }
}
