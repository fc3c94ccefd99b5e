package io.tensorlink.chain.xmr;

import io.tensorlink.monero.escrow.EscrowParty;
import io.tensorlink.monero.escrow.SignedMessage;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The escrows this node takes part in, by escrow id: where {@code /tl/xmr/1.0.0} requests go. A request
 * for an escrow the node does not hold yet (the client's offer) goes to {@code unrouted}.
 */
public final class EscrowRouter {
  private final Map<String, EscrowParty> parties = new ConcurrentHashMap<>();
  private final Function<SignedMessage, Optional<SignedMessage>> unrouted;

  /** A router that answers only its parties' requests. */
  public EscrowRouter() {
    this(request -> Optional.empty());
  }

  public EscrowRouter(final Function<SignedMessage, Optional<SignedMessage>> unrouted) {
    this.unrouted = unrouted;
  }

  public void add(final EscrowParty party) {
    parties.put(party.terms().escrowId(), party);
  }

  public Optional<EscrowParty> party(final String escrowId) {
    return Optional.ofNullable(parties.get(escrowId));
  }

  /** The ids of the escrows routed here. */
  public Set<String> escrowIds() {
    return Set.copyOf(parties.keySet());
  }

  /** The party's signed answer, or empty when nobody here answers it (the stream is then reset). */
  public Optional<SignedMessage> handle(final SignedMessage request) {
    final Optional<EscrowParty> party = request.unverifiedEscrowId().map(parties::get);
    return party.isPresent() ? Optional.of(party.get().handle(request)) : unrouted.apply(request);
  }
}
