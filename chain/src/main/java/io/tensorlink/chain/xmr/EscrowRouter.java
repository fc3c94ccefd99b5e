package io.tensorlink.chain.xmr;

import io.tensorlink.monero.escrow.EscrowParty;
import io.tensorlink.monero.escrow.SignedMessage;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The escrows this node takes part in, by escrow id: where {@code /tl/xmr/1.0.0} requests go. */
public final class EscrowRouter {
  private final Map<String, EscrowParty> parties = new ConcurrentHashMap<>();

  public void add(final EscrowParty party) {
    parties.put(party.terms().escrowId(), party);
  }

  /** The party's signed answer, or empty when this node has no such escrow (the stream is then reset). */
  public Optional<SignedMessage> handle(final SignedMessage request) {
    return request.unverifiedEscrowId().map(parties::get).map(p -> p.handle(request));
  }
}
