package io.tensorlink.cli.xmr;

import io.tensorlink.chain.xmr.XmrEscrows;
import io.tensorlink.cli.CliContext;
import io.tensorlink.cli.CliException;
import io.tensorlink.cli.ExitCodes;
import io.tensorlink.cli.TlCli;
import io.tensorlink.monero.escrow.EscrowMessage.Settlement;
import io.tensorlink.monero.escrow.EscrowRecord;
import io.tensorlink.monero.escrow.PaymentProof;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import io.tensorlink.cli.support.Examples;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tl-cli xmr escrow-status|payouts <jobId>}: this node's XMR escrows of a job, read from its data dir. */
@Command(name = "xmr", mixinStandardHelpOptions = true, footerHeading = Examples.HEADING,
    footer = {"  tl-cli xmr escrow-status 1", "  tl-cli xmr payouts 1"}, description = "Monero settlement: this node's 2-of-3 escrows and their payouts with proofs.")
public final class XmrCommand {
  @Spec CommandSpec spec;

  @Command(name = "escrow-status", mixinStandardHelpOptions = true, footerHeading = Examples.HEADING,
      footer = {"  tl-cli xmr escrow-status 1"}, description = "Setup, funding and settlement state of this node's escrows of a job.")
  int status(@Parameters(paramLabel = "<jobId>", description = "Job id (decimal).") final BigInteger jobId) {
    final CliContext ctx = TlCli.context(spec);
    final List<EscrowRecord> escrows = escrowsOf(ctx, jobId);
    final PrintWriter out = ctx.out();
    for (final EscrowRecord r : escrows) {
      out.printf("%s: %s, %s%n", r.terms().escrowId(), r.role().name().toLowerCase(),
          r.ready() ? "ready" : "setup round " + r.setupRound() + " of 3");
      out.println("  address: " + r.multisigAddress().orElse("-"));
      out.println("  deposit: " + xmr(r.terms().deposit()) + " XMR, " + xmr(r.terms().pricePerStep()) + " XMR/step, arbiter fee "
          + xmr(r.terms().arbiterFee()) + " XMR");
      out.println("  funding: " + r.funding().map(f -> f.txid() + " (" + xmr(f.amount()) + " XMR)").orElse("-"));
      out.println("  pending: " + r.pending().map(p -> p.kind().name().toLowerCase()).orElse("-"));
      out.println("  settled: " + r.settlements().stream().map(s -> s.kind().name().toLowerCase()).toList());
    }
    return ExitCodes.OK;
  }

  @Command(name = "payouts", mixinStandardHelpOptions = true, footerHeading = Examples.HEADING,
      footer = {"  tl-cli xmr payouts 1"}, description = "Amounts, tx ids and payment proofs of this node's escrows of a job.")
  int payouts(@Parameters(paramLabel = "<jobId>", description = "Job id (decimal).") final BigInteger jobId) {
    final CliContext ctx = TlCli.context(spec);
    final PrintWriter out = ctx.out();
    for (final EscrowRecord r : escrowsOf(ctx, jobId)) {
      for (final Settlement s : r.settlements()) {
        out.printf("%s %s tx %s fee %s XMR%n", r.terms().escrowId(), s.kind().name().toLowerCase(),
            String.join(",", s.txHashes()), xmr(s.fee()));
        for (final PaymentProof p : s.proofs()) {
          out.printf("  %s XMR to %s%n  proof (check_tx_proof %s %s \"%s\"): %s%n", xmr(p.amount()), p.address(),
              p.txid(), p.address(), p.message(), p.signature());
        }
      }
    }
    return ExitCodes.OK;
  }

  private static List<EscrowRecord> escrowsOf(final CliContext ctx, final BigInteger jobId) {
    final List<EscrowRecord> escrows = XmrEscrows.ofJob(ctx.dataDir(), jobId);
    if (escrows.isEmpty()) {
      throw new CliException("no XMR escrow of job " + jobId + " in " + XmrEscrows.store(ctx.dataDir()).dir());
    }
    return escrows;
  }

  private static String xmr(final long piconero) {
    return new BigDecimal(piconero).movePointLeft(12).stripTrailingZeros().toPlainString();
  }
}
