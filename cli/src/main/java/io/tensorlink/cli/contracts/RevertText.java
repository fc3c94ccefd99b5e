package io.tensorlink.cli.contracts;

import io.tensorlink.cli.support.Units;
import io.tensorlink.contracts.revert.DecodedRevert;
import java.math.BigInteger;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A decoded custom error in human units, by argument name: token amounts in TL, timestamps as ISO
 * instants, job statuses by name, addresses checksummed. Anything else stays as decoded.
 */
public final class RevertText {
  private static final Set<String> AMOUNTS =
      Set.of("stake", "needed", "available", "budget", "pricePerStep", "amount", "requested", "remaining", "balance", "allowance");
  private static final Set<String> TIMES =
      Set.of("deadline", "releaseAt", "nowTs", "closedAt", "votingEndsAt", "claimableAt", "sweepableAt");
  /** JobEscrow.JobStatus, by ordinal. */
  private static final List<String> JOB_STATUS = List.of("None", "Open", "Active", "Completed", "Cancelled", "Refunded");

  private RevertText() {}

  /** A JobEscrow.JobStatus by its Solidity name. */
  public static String jobStatus(final BigInteger ordinal) {
    return ordinal.signum() >= 0 && ordinal.compareTo(BigInteger.valueOf(JOB_STATUS.size())) < 0
        ? JOB_STATUS.get(ordinal.intValue()) : "status " + ordinal;
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
      if (!arg.type().startsWith("uint") && !(arg.name().equals("status") && error.startsWith("JobEscrow"))) {
        return arg.value();
      }
      final BigInteger n = new BigInteger(arg.value());
      if (AMOUNTS.contains(arg.name())) {
        return Units.tl(n);
      }
      if (TIMES.contains(arg.name())) {
        return Units.time(n);
      }
      if (arg.name().equals("status") && error.startsWith("JobEscrow")) {
        return jobStatus(n);
      }
      return arg.value();
    } catch (NumberFormatException | ArithmeticException | java.time.DateTimeException e) {
      return arg.value(); // not the number the name promised: show it as decoded
    }
  }
}
