package io.tensorlink.monero.escrow;

import io.tensorlink.monero.rpc.WalletRpc.Destination;
import io.tensorlink.monero.rpc.WalletRpc.TransferDescription;
import io.tensorlink.monero.rpc.WalletRpc.TransferDescription.Recipient;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The co-signer's check of an unsigned multisig transaction ({@code describe_transfer} of the proposed
 * tx set) before it adds its signature: exactly the expected recipients and amounts, change (if any)
 * back to the escrow itself, a fee within the terms. Pure: no wallet, no state.
 */
final class PayoutCheck {
  private static final Comparator<Destination> ORDER =
      Comparator.comparing(Destination::address).thenComparingLong(Destination::amount);

  private PayoutCheck() {}

  /** Empty when the description pays exactly {@code expected}; otherwise why not, in words. */
  static Optional<String> releaseRefusal(final TransferDescription description, final EscrowTerms terms,
      final String escrowAddress, final List<Destination> expected) {
    if (description.desc() == null || description.desc().size() != 1) {
      return Optional.of(notOne(description));
    }
    final TransferDescription.Description d = description.desc().getFirst();
    final List<Destination> actual = recipients(d);
    final Optional<String> workerOverpaid = overpaid(actual, terms.workerAddress(), expected, "worker");
    if (workerOverpaid.isPresent()) {
      return workerOverpaid;
    }
    if (!sorted(actual).equals(sorted(expected))) {
      return Optional.of("the tx set pays " + describe(actual) + " but the verified plan is " + describe(expected));
    }
    if (d.changeAmount() > 0 && !escrowAddress.equals(d.changeAddress())) {
      return Optional.of("the tx set sends its change of " + d.changeAmount() + " piconero to " + d.changeAddress()
          + " instead of back to the escrow");
    }
    return feeRefusal(d, terms);
  }

  /** Empty when the description sweeps the whole escrow to the client's refund address and nowhere else. */
  static Optional<String> refundRefusal(final TransferDescription description, final EscrowTerms terms) {
    if (description.desc() == null || description.desc().size() != 1) {
      return Optional.of(notOne(description));
    }
    final TransferDescription.Description d = description.desc().getFirst();
    final List<Destination> actual = recipients(d);
    if (actual.size() != 1 || !actual.getFirst().address().equals(terms.clientRefundAddress())) {
      return Optional.of("a refund must pay only the client's refund address " + terms.clientRefundAddress()
          + ", the tx set pays " + describe(actual));
    }
    if (d.changeAmount() != 0) {
      return Optional.of("a refund must sweep everything to the client, but the tx set keeps " + d.changeAmount()
          + " piconero as change");
    }
    return feeRefusal(d, terms);
  }

  private static Optional<String> feeRefusal(final TransferDescription.Description d, final EscrowTerms terms) {
    return d.fee() > terms.maxTxFee()
        ? Optional.of("the tx set's network fee " + d.fee() + " exceeds the terms' maximum " + terms.maxTxFee())
        : Optional.empty();
  }

  private static String notOne(final TransferDescription description) {
    return "the tx set holds " + (description.desc() == null ? 0 : description.desc().size())
        + " transactions; an escrow payout is exactly one";
  }

  private static List<Destination> recipients(final TransferDescription.Description d) {
    final List<Destination> actual = new ArrayList<>();
    for (final Recipient r : d.recipients()) {
      // Our own wallet decoded the set: describe_transfer never lists a zero output.
      actual.add(new Destination(r.amount(), r.address()));
    }
    return actual;
  }

  /** The worker's amount above its verified one gets its own message: it is the attack this check exists for. */
  private static Optional<String> overpaid(final List<Destination> actual, final String address,
      final List<Destination> expected, final String who) {
    final long paid = actual.stream().filter(x -> x.address().equals(address)).mapToLong(Destination::amount).sum();
    final long due = expected.stream().filter(x -> x.address().equals(address)).mapToLong(Destination::amount).sum();
    return paid > due
        ? Optional.of("the tx set pays the " + who + " " + paid + " piconero but its verified amount is " + due)
        : Optional.empty();
  }

  private static List<Destination> sorted(final List<Destination> d) {
    return d.stream().sorted(ORDER).toList();
  }

  private static String describe(final List<Destination> d) {
    return d.stream().map(x -> x.amount() + " to " + x.address()).toList().toString();
  }
}
