package io.tensorlink.p2p.relay;

/** A relay refused or failed a request; {@link #status()} is the spec's code. */
public final class RelayException extends RuntimeException {
  private final RelayStatus status;

  public RelayException(final RelayStatus status, final String message) {
    super(message);
    this.status = status;
  }

  public RelayStatus status() {
    return status;
  }
}
