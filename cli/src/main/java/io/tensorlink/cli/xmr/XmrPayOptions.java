package io.tensorlink.cli.xmr;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.tensorlink.cli.CliContext;
import io.tensorlink.cli.CliException;
import io.tensorlink.cli.ExitCodes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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

  /** The XMR terms of a job (amounts in piconero). */
  public record Terms(long pricePerStep, long deposit, long arbiterFee, long maxTxFee) {}

  /** Checks the XMR flags (usage errors naming the flag) before anything is sent; empty for a TL job. */
  public java.util.Optional<Terms> check() {
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
    return java.util.Optional.of(new Terms(price, deposit, fee, MAX_TX_FEE));
  }

  /** Writes the terms of the created job; returns the file. */
  public static Path record(final CliContext ctx, final BigInteger jobId, final Terms t) {
    final Path f = ctx.dataDir().resolve("xmr").resolve("jobs").resolve("job-" + jobId + ".json");
    final java.util.Map<String, Object> stored = new java.util.LinkedHashMap<>();
    stored.put("jobId", jobId.toString());
    stored.put("pricePerStep", Long.toString(t.pricePerStep()));
    stored.put("deposit", Long.toString(t.deposit()));
    stored.put("arbiterFee", Long.toString(t.arbiterFee()));
    stored.put("maxTxFee", Long.toString(t.maxTxFee()));
    try {
      Files.createDirectories(f.getParent());
      final Path tmp = Files.createTempFile(f.getParent(), f.getFileName().toString(), ".tmp");
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(tmp.toFile(), stored);
      Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return f;
    } catch (final IOException e) {
      throw new UncheckedIOException("job " + jobId + " was created, but its XMR terms could not be written to " + f, e);
    }
  }
}
