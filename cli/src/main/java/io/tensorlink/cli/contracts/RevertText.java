package io.tensorlink.cli.contracts;

import io.tensorlink.cli.support.Units;
import io.tensorlink.contracts.revert.DecodedRevert;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A decoded custom error in human units, by argument name: token amounts in TL, timestamps as ISO
 * instants, job statuses by name, addresses checksummed. Anything else stays as decoded.
 */
public final class RevertText {
  private static final Set<String> AMOUNTS =
      Set.of("stake", "needed", "available", "budget", "pricePerStep", "amount", "requested", "remaining", "balance", "allowance",
          "locked", "signedStake", "totalStake");
  private static final Set<String> TIMES =
      Set.of("deadline", "releaseAt", "nowTs", "closedAt", "votingEndsAt", "claimableAt", "sweepableAt", "until");
  /** JobEscrow.JobStatus, by ordinal. */
  private static final List<String> JOB_STATUS = List.of("None", "Open", "Active", "Completed", "Cancelled", "Refunded");
  /** IDisputeCourt.DisputeStatus, by ordinal. */
  private static final List<String> DISPUTE_STATUS = List.of("None", "Drawing", "Voting", "Fraud", "Rejected", "NoQuorum", "Expired");
  /** The status enum of each contract's errors, by the error-name prefix. */
  private static final Map<String, List<String>> STATUS_BY_CONTRACT = Map.of("JobEscrow", JOB_STATUS, "DisputeCourt", DISPUTE_STATUS);

  private RevertText() {}

  /** A JobEscrow.JobStatus by its Solidity name. */
  public static String jobStatus(final BigInteger ordinal) {
    return named(JOB_STATUS, ordinal);
  }

  /** A DisputeCourt.DisputeStatus by its Solidity name. */
  public static String disputeStatus(final BigInteger ordinal) {
    return named(DISPUTE_STATUS, ordinal);
  }

  private static String named(final List<String> names, final BigInteger ordinal) {
    return ordinal.signum() >= 0 && ordinal.compareTo(BigInteger.valueOf(names.size())) < 0
        ? names.get(ordinal.intValue()) : "status " + ordinal;
  }

  static String human(final DecodedRevert revert) {
    return revert.name() + revert.args().stream()
        .map(a -> a.name() + "=" + value(revert.name(), a))
        .collect(Collectors.joining(", ", "(", ")"));
  }

  private static String value(final String error, final DecodedRevert.Arg arg) {
    try {
      if (arg.type().equals("address")) {
        return Units.address(arg.value());
      }
      final List<String> statuses = arg.name().equals("status") ? statusesOf(error) : null;
      if (!arg.type().startsWith("uint") && statuses == null) {
        return arg.value();
      }
      final BigInteger n = new BigInteger(arg.value());
      if (AMOUNTS.contains(arg.name())) {
        return Units.tl(n);
      }
      if (TIMES.contains(arg.name())) {
        return Units.time(n);
      }
      if (statuses != null) {
        return named(statuses, n);
      }
      return arg.value();
    } catch (NumberFormatException | ArithmeticException | java.time.DateTimeException e) {
      return arg.value(); // not the number the name promised: show it as decoded
    }
  }

  /** The status names of the contract an error belongs to, or null. */
  private static List<String> statusesOf(final String error) {
    return STATUS_BY_CONTRACT.entrySet().stream().filter(e -> error.startsWith(e.getKey())).map(Map.Entry::getValue)
        .findFirst().orElse(null);
  }
}
