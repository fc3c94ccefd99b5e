package io.tensorlink.p2p.protocol.autonat;

import io.tensorlink.p2p.multiaddr.Multiaddr;
import io.tensorlink.p2p.peer.PeerId;
import java.util.List;
import java.util.Optional;

/** One {@code /libp2p/autonat/1.0.0} message: a DIAL request or a DIAL_RESPONSE. */
public sealed interface AutoNatMessage {
  /** "Dial me back at these addresses." */
  record Dial(PeerId peer, List<Multiaddr> addresses) implements AutoNatMessage {
    public Dial {
      addresses = List.copyOf(addresses);
    }
  }

  /** The outcome; {@code address} is the one dialled successfully (with OK only). */
  record DialResponse(Status status, String text, Optional<Multiaddr> address) implements AutoNatMessage {
    public static DialResponse ok(final Multiaddr address) {
      return new DialResponse(Status.OK, "", Optional.of(address));
    }

    public static DialResponse failed(final Status status, final String text) {
      return new DialResponse(status, text, Optional.empty());
    }
  }

  /** {@code Message.ResponseStatus} with its wire codes. */
  enum Status {
    OK(0),
    E_DIAL_ERROR(100),
    E_DIAL_REFUSED(101),
    E_BAD_REQUEST(200),
    E_INTERNAL_ERROR(300);

    private final int code;

    Status(final int code) {
      this.code = code;
    }

    public int code() {
      return code;
    }

    static Optional<Status> of(final int code) {
      for (final Status s : values()) {
        if (s.code == code) {
          return Optional.of(s);
        }
      }
      return Optional.empty();
    }
  }
}
