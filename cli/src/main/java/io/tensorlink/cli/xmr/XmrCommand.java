package io.tensorlink.cli.xmr;

import io.tensorlink.chain.xmr.AccountSigner;
import io.tensorlink.chain.xmr.XmrEscrows;
import io.tensorlink.chain.xmr.XmrSettlement;
import io.tensorlink.cli.contracts.AccountOptions;
import io.tensorlink.cli.contracts.ChainOptions;
import io.tensorlink.cli.contracts.ChainSession;
import io.tensorlink.monero.escrow.EscrowException;
import io.tensorlink.monero.escrow.EscrowStore;
import io.tensorlink.cli.CliContext;
import io.tensorlink.cli.CliException;
import io.tensorlink.cli.ExitCodes;
import io.tensorlink.cli.TlCli;
import io.tensorlink.cli.config.ConfigKeys;
import io.tensorlink.monero.escrow.EscrowMessage.Settlement;
import io.tensorlink.monero.escrow.EscrowRecord;
import io.tensorlink.monero.escrow.PaymentProof;
import java.math.BigInteger;
import java.util.List;
import io.tensorlink.cli.support.Examples;
import io.tensorlink.cli.support.Facts;
import io.tensorlink.cli.support.JsonOption;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import io.tensorlink.monero.regtest.DevnetMonero;
import io.tensorlink.monero.regtest.MoneroRegtest;
import io.tensorlink.monero.regtest.RegtestDaemon;
import io.tensorlink.monero.rpc.DaemonRpc;
import io.tensorlink.monero.rpc.MoneroRpcException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import org.web3j.crypto.Credentials;

/**
 * {@code tl-cli xmr escrow-status|payouts <jobId>}: this node's XMR escrows of a job, read from its data dir;
 * {@code xmr wallet …} ({@link XmrWalletCommand}); {@code xmr mine} on the devnet's regtest monerod.
 */
@Command(name = "xmr", mixinStandardHelpOptions = true, footerHeading = Examples.HEADING, subcommands = XmrWalletCommand.class,
    footer = {"  tl-cli xmr escrow-status 1", "  tl-cli xmr payouts 1 --json"}, description = "Monero settlement: this node's 2-of-3 escrows and their payouts with proofs.")
public final class XmrCommand {
  @Spec CommandSpec spec;

  @Command(name = "escrow-status", mixinStandardHelpOptions = true, footerHeading = Examples.HEADING,
      footer = {"  tl-cli xmr escrow-status 1", "  tl-cli xmr escrow-status 1 --json | jq '.escrows[0].multisigAddress'"},
      description = "Setup, funding and settlement state of this node's escrows of a job.")
  int status(@Parameters(paramLabel = "<jobId>", description = "Job id (decimal).") final BigInteger jobId,
      @Mixin final AccountOptions account, @Mixin final ChainOptions chain, @Mixin final JsonOption json) {
    final CliContext ctx = TlCli.context(spec);
    final List<EscrowRecord> escrows = escrowsOf(ctx, jobId, account, chain);
    Facts.print(ctx.out(), json, f -> {
      final List<Map<String, Object>> rows = new java.util.ArrayList<>();
      for (final EscrowRecord r : escrows) {
        final Map<String, Object> row = new LinkedHashMap<>();
        row.put("escrowId", r.terms().escrowId());
        row.put("role", r.role().name().toLowerCase());
        row.put("ready", r.ready());
        row.put("setupRound", r.setupRound());
        row.put("multisigAddress", r.multisigAddress().orElse(null));
        row.put("deposit", Long.toString(r.terms().deposit()));
        row.put("pricePerStep", Long.toString(r.terms().pricePerStep()));
        row.put("arbiterFee", Long.toString(r.terms().arbiterFee()));
        row.put("funding", r.funding().map(x -> {
          final Map<String, Object> m = new LinkedHashMap<>();
          m.put("txid", x.txid());
          m.put("amount", Long.toString(x.amount()));
          m.put("fee", Long.toString(x.fee()));
          return m;
        }).orElse(null));
        row.put("pending", r.pending().map(p -> p.kind().name().toLowerCase()).orElse(null));
        row.put("settled", r.settlements().stream().map(s -> s.kind().name().toLowerCase()).toList());
        rows.add(row);
        f.line(r.terms().escrowId() + ": " + r.role().name().toLowerCase() + ", "
                + (r.ready() ? "ready" : "setup round " + r.setupRound() + " of 3"))
            .line("  address: " + r.multisigAddress().orElse("-"))
            .line("  deposit: " + xmr(r.terms().deposit()) + " XMR, " + xmr(r.terms().pricePerStep()) + " XMR/step, arbiter fee "
                + xmr(r.terms().arbiterFee()) + " XMR")
            .line("  funding: " + r.funding().map(x -> x.txid() + " (" + xmr(x.amount()) + " XMR)").orElse("-"))
            .line("  pending: " + r.pending().map(p -> p.kind().name().toLowerCase()).orElse("-"))
            .line("  settled: " + r.settlements().stream().map(s -> s.kind().name().toLowerCase()).toList());
      }
      f.put("jobId", jobId.toString()).put("escrows", rows);
    });
    return ExitCodes.OK;
  }

  @Command(name = "payouts", mixinStandardHelpOptions = true, footerHeading = Examples.HEADING,
      footer = {"  tl-cli xmr payouts 1", "  tl-cli xmr payouts 1 --json | jq '.payouts[].proofs'"},
      description = "Amounts, tx ids and payment proofs of this node's escrows of a job.")
  int payouts(@Parameters(paramLabel = "<jobId>", description = "Job id (decimal).") final BigInteger jobId,
      @Mixin final AccountOptions account, @Mixin final ChainOptions chain, @Mixin final JsonOption json) {
    final CliContext ctx = TlCli.context(spec);
    final List<EscrowRecord> escrows = escrowsOf(ctx, jobId, account, chain);
    Facts.print(ctx.out(), json, f -> {
      final List<Map<String, Object>> rows = new java.util.ArrayList<>();
      for (final EscrowRecord r : escrows) {
        for (final Settlement s : r.settlements()) {
          f.line(r.terms().escrowId() + " " + s.kind().name().toLowerCase() + " tx " + String.join(",", s.txHashes())
              + " fee " + xmr(s.fee()) + " XMR");
          final List<Map<String, Object>> proofs = new java.util.ArrayList<>();
          for (final PaymentProof p : s.proofs()) {
            f.line("  " + xmr(p.amount()) + " XMR to " + p.address())
                .line("  proof (check_tx_proof " + p.txid() + " " + p.address() + " \"" + p.message() + "\"): " + p.signature());
            final Map<String, Object> m = new LinkedHashMap<>();
            m.put("txid", p.txid());
            m.put("address", p.address());
            m.put("amount", Long.toString(p.amount()));
            m.put("message", p.message());
            m.put("signature", p.signature());
            proofs.add(m);
          }
          final Map<String, Object> row = new LinkedHashMap<>();
          row.put("escrowId", r.terms().escrowId());
          row.put("kind", s.kind().name().toLowerCase());
          row.put("txHashes", s.txHashes());
          row.put("fee", Long.toString(s.fee()));
          row.put("proofs", proofs);
          rows.add(row);
        }
      }
      f.put("jobId", jobId.toString()).put("payouts", rows);
    });
    return ExitCodes.OK;
  }

  @Command(name = "payout-settings", mixinStandardHelpOptions = true, footerHeading = Examples.HEADING,
      footer = {"  tl-cli config set xmr.payout-address 4…", "  tl-cli xmr payout-settings --json"},
      description = "The worker's XMR payout address and minimum payout from the config (checked), as its node offers them.")
  int payoutSettings(@Mixin final JsonOption json) {
    final CliContext ctx = TlCli.context(spec);
    final XmrSettlement.PayoutSettings settings = payoutSettings(ctx);
    final String address = settings.address();
    final long min = settings.minPayout();
    Facts.print(ctx.out(), json, f -> f.fact("payoutAddress", address, "payout address", address)
        .fact("minPayout", Long.toString(min), "minimum payout", XmrAmounts.xmr(min) + " XMR"));
    return ExitCodes.OK;
  }

  @Command(name = "mine", mixinStandardHelpOptions = true, footerHeading = Examples.HEADING,
      footer = {"  tl-cli xmr mine 10", "  tl-cli xmr mine 70 --to 4…  # coinbase is spendable after 60 more blocks"},
      description = "Mine blocks on the devnet's regtest monerod (devnet up --with-monero), to an address or to nobody.")
  int mine(@Parameters(paramLabel = "<n>", arity = "0..1", defaultValue = "1", description = "Blocks to mine, 1..10000.") final int blocks,
      @Option(names = "--to", paramLabel = "<address>", description = "Address the block rewards go to (default: nobody's).")
      final String to) {
    if (blocks < 1 || blocks > 10_000) {
      throw new CliException("<n> must be 1..10000, got " + blocks, ExitCodes.USAGE);
    }
    final CliContext ctx = TlCli.context(spec);
    final DevnetMonero.State s = RunningDevnet.require(ctx, "xmr mine works on the devnet's monerod only;");
    final DaemonRpc daemon = new DaemonRpc(s.daemonRpc().withTimeout(java.time.Duration.ofMinutes(3)));
    try {
      final long height = RegtestDaemon.mine(daemon, blocks, to == null ? MoneroRegtest.BURN_ADDRESS : to);
      ctx.out().println("monero height: " + height);
    } catch (final MoneroRpcException e) {
      throw new CliException("monerod " + s.daemonAddress() + ": " + e.getMessage()
          + (to != null && e.code() != 0 ? " (is --to a valid address?)" : ""));
    }
    return ExitCodes.OK;
  }

  /** The payout address and minimum payout from the config, as the node offers them; a CONFIG error without an address. */
  static XmrSettlement.PayoutSettings payoutSettings(final CliContext ctx) {
    final String address = ctx.config().find(ConfigKeys.XMR_PAYOUT_ADDRESS).orElseThrow(() -> new CliException(
        "no XMR payout address: tl-cli config set xmr.payout-address <your wallet's 4… or 8… address>", ExitCodes.CONFIG));
    try {
      return new XmrSettlement.PayoutSettings(address, ctx.config().find(ConfigKeys.XMR_MIN_PAYOUT).orElse(0L));
    } catch (final IllegalArgumentException e) {
      throw new CliException("config xmr.payout-address / xmr.min-payout: " + e.getMessage(), ExitCodes.CONFIG, e);
    }
  }

  /** The node's escrows of a job; their files are encrypted with a key derived from the node's account key. */
  private static List<EscrowRecord> escrowsOf(final CliContext ctx, final BigInteger jobId, final AccountOptions account,
      final ChainOptions chain) {
    final java.nio.file.Path dir = XmrEscrows.dir(ctx.dataDir());
    if (EscrowStore.isEmpty(dir)) {
      throw new CliException("no XMR escrow of job " + jobId + " in " + dir);
    }
    final List<EscrowRecord> escrows;
    try {
      escrows = XmrEscrows.ofJob(ctx.dataDir(), new AccountSigner(nodeAccount(ctx, account, chain)).storeKey(), jobId);
    } catch (final EscrowException e) {
      throw new CliException(e.getMessage() + " (the escrows are readable with the node's account: --from/--keystore)",
          ExitCodes.CONFIG);
    }
    if (escrows.isEmpty()) {
      throw new CliException("no XMR escrow of job " + jobId + " in " + dir);
    }
    return escrows;
  }

  /** The node's account: its keystore, or (devnet only, which the chain id tells) a genesis account. */
  private static Credentials nodeAccount(final CliContext ctx, final AccountOptions account, final ChainOptions chain) {
    if (!account.genesis()) {
      return account.unlockKeystore(ctx);
    }
    try (ChainSession session = ChainSession.open(ctx, chain)) {
      return account.unlock(ctx, session.chainId());
    }
  }

  private static String xmr(final long piconero) {
    return XmrAmounts.xmr(piconero);
  }
}
