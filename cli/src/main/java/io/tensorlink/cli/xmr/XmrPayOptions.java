package io.tensorlink.cli.xmr;

import io.tensorlink.cli.CliContext;
import io.tensorlink.cli.CliException;
import io.tensorlink.chain.xmr.XmrJobTerms;
import io.tensorlink.cli.ExitCodes;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code job create --pay xmr}: the job's Monero terms, written to {@code <data-dir>/xmr/jobs/job-<id>.json}
 * once the job exists. The client's node sets up one 2-of-3 escrow per assigned worker from them
 * (docs/monero.md). The job's TL budget still goes on chain as given: the contracts have no XMR jobs,
 * and the anchored blocks are the evidence either way.
 */
public final class XmrPayOptions {
  /** Arbiter's fee per escrow when none is given. */
  static final long DEFAULT_ARBITER_FEE = 50_000_000_000L;
  /** The most the network fee of one escrow transaction may be (co-signers refuse more). */
  static final long MAX_TX_FEE = 10_000_000_000L;

  @Option(names = "--pay", paramLabel = "<tl|xmr>", defaultValue = "tl",
      description = "Currency the workers are paid in: tl (default) or xmr (a 2-of-3 Monero escrow per worker; docs/monero.md).")
  String pay;

  @Option(names = "--price-per-step-xmr", paramLabel = "<XMR>", description = "With --pay xmr: XMR paid per verified step.")
  String pricePerStepXmr;

  @Option(names = "--xmr-deposit", paramLabel = "<XMR>", description = "With --pay xmr: XMR the client deposits in each worker's escrow.")
  String depositXmr;

  @Option(names = "--xmr-arbiter-fee", paramLabel = "<XMR>", description = "With --pay xmr: the arbiter's fee per escrow (default 0.05).")
  String arbiterFeeXmr;

  /** Checks the XMR flags (usage errors naming the flag) before anything is sent; empty for a TL job. */
  public java.util.Optional<XmrJobTerms> check() {
    if ("tl".equals(pay)) {
      if (pricePerStepXmr != null || depositXmr != null || arbiterFeeXmr != null) {
        throw new CliException("--price-per-step-xmr, --xmr-deposit and --xmr-arbiter-fee need --pay xmr", ExitCodes.USAGE);
      }
      return java.util.Optional.empty();
    }
    if (!"xmr".equals(pay)) {
      throw new CliException("--pay must be tl or xmr, got '" + pay + "'", ExitCodes.USAGE);
    }
    if (pricePerStepXmr == null || depositXmr == null) {
      throw new CliException("--pay xmr needs --price-per-step-xmr and --xmr-deposit", ExitCodes.USAGE);
    }
    final long price = XmrAmounts.piconero("--price-per-step-xmr", pricePerStepXmr);
    final long deposit = XmrAmounts.piconero("--xmr-deposit", depositXmr);
    final long fee = arbiterFeeXmr == null ? DEFAULT_ARBITER_FEE : XmrAmounts.piconero("--xmr-arbiter-fee", arbiterFeeXmr);
    if (price == 0) {
      throw new CliException("--price-per-step-xmr must be more than 0", ExitCodes.USAGE);
    }
    if (deposit < fee + 2 * MAX_TX_FEE + price) {
      throw new CliException("--xmr-deposit " + XmrAmounts.xmr(deposit) + " XMR does not cover the arbiter fee "
          + XmrAmounts.xmr(fee) + " XMR, two network fees of up to " + XmrAmounts.xmr(MAX_TX_FEE) + " XMR and one step", ExitCodes.USAGE);
    }
    return java.util.Optional.of(new XmrJobTerms(price, deposit, fee, MAX_TX_FEE));
  }

  /** Writes the terms of the created job; returns the file. */
  public static Path record(final CliContext ctx, final BigInteger jobId, final XmrJobTerms t) {
    try {
      return t.write(ctx.dataDir(), jobId);
    } catch (final UncheckedIOException e) {
      throw new UncheckedIOException("job " + jobId + " was created, but " + e.getMessage(), e.getCause());
    }
  }
}
