package io.tensorlink.monero.escrow;

/**
 * Carries a signed request to another party's node and returns its signed answer, which that node's
 * {@link EscrowParty#handle} produced. The chain module implements it over libp2p ({@code /tl/xmr/1.0.0});
 * in one process it can call the other party directly.
 */
@FunctionalInterface
public interface EscrowTransport {
  /**
   * @param signerId the receiving party (as in {@link EscrowTerms#parties()})
   * @throws EscrowException with {@link EscrowException.Reason#UNAVAILABLE} when the party cannot be reached
   */
  SignedMessage request(String signerId, SignedMessage request);
}
