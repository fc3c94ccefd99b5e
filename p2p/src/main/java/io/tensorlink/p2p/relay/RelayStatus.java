package io.tensorlink.p2p.relay;

import java.util.Optional;

/** Circuit relay v2 {@code Status} codes. */
public enum RelayStatus {
  OK(100),
  RESERVATION_REFUSED(200),
  RESOURCE_LIMIT_EXCEEDED(201),
  PERMISSION_DENIED(202),
  CONNECTION_FAILED(203),
  NO_RESERVATION(204),
  MALFORMED_MESSAGE(400),
  UNEXPECTED_MESSAGE(401);

  private final int code;

  RelayStatus(final int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }

  static Optional<RelayStatus> of(final int code) {
    for (final RelayStatus s : values()) {
      if (s.code == code) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }
}
