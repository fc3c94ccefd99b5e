package io.tensorlink.monero.escrow;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.List;

/**
 * The escrow protocol's messages. Each travels inside a {@link SignedMessage}; each request gets one
 * signed answer. Every message names its escrow and the hash of the terms it is about.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = EscrowMessage.SetupRound.class, name = "setup"),
    @JsonSubTypes.Type(value = EscrowMessage.MultisigSync.class, name = "sync"),
    @JsonSubTypes.Type(value = EscrowMessage.PayoutProposal.class, name = "proposal"),
    @JsonSubTypes.Type(value = EscrowMessage.PayoutDone.class, name = "done"),
    @JsonSubTypes.Type(value = EscrowMessage.NotReady.class, name = "not-ready"),
    @JsonSubTypes.Type(value = EscrowMessage.Refusal.class, name = "refusal"),
    @JsonSubTypes.Type(value = EscrowMessage.Offer.class, name = "offer"),
    @JsonSubTypes.Type(value = EscrowMessage.OfferAccepted.class, name = "accepted")
})
public sealed interface EscrowMessage {
  String escrowId();

  String termsHash();

  /**
   * The sender's multisig key-exchange message of {@code round} (1: prepare_multisig, 2: make_multisig,
   * 3: the first exchange_multisig_keys). Round 3 also states the multisig address the sender's wallet
   * computed; everyone must agree on it before the client funds. As a request it asks for the
   * receiver's message of the same round.
   */
  record SetupRound(String escrowId, String termsHash, int round, String multisigInfo, String address)
      implements EscrowMessage {}

  /** export_multisig_info of the sender; the answer carries the receiver's (both then import). */
  record MultisigSync(String escrowId, String termsHash, String info) implements EscrowMessage {}

  /**
   * An unsigned multisig transaction for the receiver to check, co-sign and submit. A refund carries the
   * release it follows ({@code release}: tx ids and key), which the co-signer checks on chain.
   */
  record PayoutProposal(String escrowId, String termsHash, Settlement.Kind kind, String multisigTxset,
      String txKey, Settlement release) implements EscrowMessage {}

  /** The co-signer submitted the transaction: its settlement with the payment proofs. */
  record PayoutDone(String escrowId, String termsHash, Settlement settlement) implements EscrowMessage {}

  /** The receiver has not reached that step yet: ask again later. */
  record NotReady(String escrowId, String termsHash, String what) implements EscrowMessage {}

  /**
   * The receiver will not do what was asked, and why; {@code retryable} when the cause is passing (its
   * wallet-rpc or daemon is down) rather than a verdict on the request.
   */
  record Refusal(String escrowId, String termsHash, String reason, boolean retryable) implements EscrowMessage {}

  /**
   * The client proposes an escrow's terms to the worker or the arbiter before any party exists. A first
   * offer leaves the receivers' payout addresses empty, to learn them; the final one is complete, and a
   * receiver that accepts it opens its party with exactly these terms.
   */
  record Offer(String escrowId, String termsHash, EscrowTerms terms) implements EscrowMessage {}

  /** The receiver accepts an {@link Offer}; {@code payoutAddress} is where its pay or fee goes. */
  record OfferAccepted(String escrowId, String termsHash, String payoutAddress) implements EscrowMessage {}

  /** A transaction the escrow sent, with one payment proof per recipient. */
  record Settlement(Kind kind, List<String> txHashes, String txKey, long fee, List<PaymentProof> proofs) {
    public Settlement {
      txHashes = List.copyOf(txHashes);
      proofs = List.copyOf(proofs);
    }

    public enum Kind {
      /** Pays the worker its verified amount and the arbiter its fee. */
      RELEASE,
      /** Sweeps what is left back to the client. */
      REFUND
    }
  }
}
