package io.tensorlink.monero.escrow;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * Delivers requests by calling the receiving {@link EscrowParty#handle} in this JVM. A party can be
 * taken away (its node "disappears"); an interceptor can rewrite requests in transit, as a malicious
 * sender or a fault would.
 */
final class InMemoryEscrowTransport implements EscrowTransport {
  private final Map<String, EscrowParty> parties = new ConcurrentHashMap<>();
  private volatile UnaryOperator<SignedMessage> interceptor = UnaryOperator.identity();

  void register(final EscrowParty party) {
    parties.put(party.terms().party(party.role()), party);
  }

  void remove(final String signerId) {
    parties.remove(signerId);
  }

  void intercept(final UnaryOperator<SignedMessage> f) {
    interceptor = f;
  }

  @Override
  public SignedMessage request(final String signerId, final SignedMessage request) {
    final EscrowParty p = parties.get(signerId);
    if (p == null) {
      throw new EscrowException(EscrowException.Reason.UNAVAILABLE, "party " + signerId + " is not connected");
    }
    return p.handle(interceptor.apply(request));
  }
}
