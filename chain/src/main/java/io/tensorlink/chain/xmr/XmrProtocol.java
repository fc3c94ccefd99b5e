package io.tensorlink.chain.xmr;

import io.tensorlink.monero.escrow.SignedMessage;
import java.time.Duration;

/**
 * {@code /tl/xmr/1.0.0}: one request per stream. The requester writes one {@link SignedMessage} (its
 * JSON) and half-closes; the responder writes the signed answer and closes. At most
 * {@link SignedMessage#MAX_WIRE_BYTES} each way; a responder that cannot route the request resets the
 * stream.
 */
public final class XmrProtocol {
  public static final String ID = "/tl/xmr/1.0.0";
  /** How long a requester waits for the answer: a co-signer checks, signs, submits and proves in it. */
  public static final Duration DEFAULT_ANSWER_TIMEOUT = Duration.ofSeconds(60);

  private XmrProtocol() {}
}
