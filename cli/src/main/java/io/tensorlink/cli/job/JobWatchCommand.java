package io.tensorlink.cli.job;

import io.tensorlink.cli.CliContext;
import io.tensorlink.cli.CliException;
import io.tensorlink.cli.ExitCodes;
import io.tensorlink.cli.contracts.ChainSession;
import io.tensorlink.cli.contracts.RevertText;
import io.tensorlink.cli.contracts.Transactions;
import io.tensorlink.cli.contracts.Uint256;
import io.tensorlink.cli.contracts.ViewCommand;
import io.tensorlink.cli.node.NodeRpcClient;
import io.tensorlink.cli.support.Examples;
import io.tensorlink.cli.support.JsonOption;
import io.tensorlink.cli.support.Units;
import io.tensorlink.chain.job.result.LossCurve;
import io.tensorlink.contracts.ContractSuite;
import io.tensorlink.contracts.generated.JobEscrow;
import java.io.PrintWriter;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;
import org.web3j.tuples.generated.Tuple3;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code tl-cli job watch}: a job's progress until it completes. Chain facts (escrow status, the
 * payouts and fees claimed, the assigned workers, the anchor's head) and the node's records (latest step and loss, workers) are
 * read every {@code --interval}. The view follows the training progress convention (docs/operations.md):
 * on stderr, one line redrawn in place on a terminal, a plain line per change elsewhere; {@code --json}
 * prints one object per update on stdout (NDJSON).
 */
@Command(name = "watch", mixinStandardHelpOptions = true, footerHeading = Examples.HEADING,
    footer = {"  tl-cli job watch 1", "  tl-cli job watch 1 --json --interval 5", "  tl-cli job watch 1 --once"},
    description = {"Follow a job live: step, loss, records verified, blocks anchored, TL paid, workers, ETA; "
        + "ends when the job is complete.",
        "Chain facts need no node; step, loss and workers come from a running node (tl-cli node start) when there is one."})
public final class JobWatchCommand extends ViewCommand {
  /** Set by bin/tl-cli to 1 when stderr is a terminal (as for training progress). */
  static final String ENV_STDERR_TTY = "TL_STDERR_TTY";
  private static final Set<String> FINAL = Set.of("Completed", "Cancelled", "Refunded");

  @Parameters(index = "0", paramLabel = "<job-id>", converter = Uint256.class, description = "The job id (printed by job create).")
  BigInteger jobId;

  @Option(names = "--interval", paramLabel = "<seconds>", defaultValue = "2",
      description = "Seconds between updates (default ${DEFAULT-VALUE}).")
  long interval;

  @Option(names = "--once", description = "Print one update and exit.")
  boolean once;

  @Option(names = "--node-rpc", paramLabel = "<url>",
      description = "The node's tl_* JSON-RPC URL (default: the node running from the data dir, if any).")
  String nodeRpc;

  @Mixin JsonOption json;

  /** One update: what the view shows. {@code step}, {@code loss}, {@code workers}, {@code etaSeconds} may be null. */
  record Update(BigInteger jobId, String status, Long step, Long totalSteps, Double loss, long recordsVerified,
      long blocksAnchored, BigInteger paid, Integer workers, Long etaSeconds, String node) {
    Map<String, Object> json() {
      final Map<String, Object> m = new LinkedHashMap<>();
      m.put("jobId", jobId);
      m.put("status", status);
      m.put("step", step);
      m.put("totalSteps", totalSteps);
      m.put("loss", loss);
      m.put("recordsVerified", recordsVerified);
      m.put("blocksAnchored", blocksAnchored);
      m.put("paid", Units.plain(paid));
      m.put("workers", workers);
      m.put("etaSeconds", etaSeconds);
      m.put("node", node);
      return m;
    }

    String line() {
      return String.format(Locale.ROOT, "job %s %s  step %s  loss %s  verified %d  blocks %d  paid %s  workers %s  ETA %s",
          jobId, status, step == null ? "?" : step + (totalSteps == null ? "" : "/" + totalSteps),
          loss == null ? "?" : String.format(Locale.ROOT, "%.4f", loss), recordsVerified, blocksAnchored, Units.tl(paid),
          workers == null ? "?" : workers, etaSeconds == null ? "?" : clock(etaSeconds));
    }

    boolean finished() {
      return FINAL.contains(status);
    }
  }

  @Override
  protected int run(final CliContext ctx, final ChainSession session, final ContractSuite s) {
    if (interval < 1 || interval > 3_600) {
      throw new CliException("--interval must be 1..3600 seconds, got " + interval, ExitCodes.USAGE);
    }
    JobCommand.existing(s, jobId);
    final NodeRpcClient rpc = node(ctx);
    final PrintWriter err = spec.commandLine().getErr();
    final boolean terminal = "1".equals(ctx.env().get(ENV_STDERR_TTY));
    final Rate rate = new Rate(System::nanoTime);
    String lastLine = null;
    while (true) {
      final Update u = update(session, s, rpc, rate);
      if (json.enabled()) {
        JsonOption.print(ctx.out(), u.json());
        ctx.out().flush();
      } else if (terminal) {
        err.print("\r" + u.line() + "\u001b[K");
        err.flush();
      } else if (!u.line().equals(lastLine)) {
        err.println(u.line());
        err.flush();
      }
      lastLine = u.line();
      if (u.finished() || once) {
        if (terminal && !json.enabled()) {
          err.println();
          err.flush();
        }
        if (!json.enabled()) {
          ctx.out().println(u.finished() ? "job " + jobId + " is " + u.status() + ": " + u.blocksAnchored()
              + " blocks anchored, " + Units.tl(u.paid()) + " paid" : u.line());
        }
        return ExitCodes.OK;
      }
      try {
        Thread.sleep(interval * 1000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return ExitCodes.OK;
      }
    }
  }

  private NodeRpcClient node(final CliContext ctx) {
    if (nodeRpc != null) {
      return new NodeRpcClient(nodeRpc);
    }
    try {
      return NodeRpcClient.of(ctx);
    } catch (CliException e) {
      if (e.exitCode() == ExitCodes.NOT_RUNNING) {
        return null; // chain facts only
      }
      throw e;
    }
  }

  private Update update(final ChainSession session, final ContractSuite s, final NodeRpcClient rpc, final Rate rate) {
    final JobEscrow.Job job = JobCommand.existing(s, jobId);
    final EscrowActivity escrow = EscrowActivity.read(session, s, jobId);
    final Tuple3<byte[], BigInteger, BigInteger> head = Transactions.call("head", s.anchor().head(jobId));
    final long anchoredSteps = head.component3().longValueExact();
    Long step = anchoredSteps;
    Long total = null;
    Double loss = null;
    Integer workers = escrow.workers();
    long cells = 0;
    String node = "none";
    if (rpc != null) {
      try {
        // from the last anchored step on: its records carry the loss and workers when nothing newer exists
        final long from = Math.max(0, anchoredSteps - 1);
        final NodeRecords recent = NodeRecords.fetch(rpc, jobId, from, from + NodeRecords.PAGE);
        node = rpc.endpoint();
        cells = (long) recent.stages() * recent.replicas();
        total = recent.steps() < 0 ? null : recent.steps();
        final long done = recent.entries().stream().mapToLong(e -> e.step() + 1).max().orElse(anchoredSteps);
        step = Math.max(anchoredSteps, done);
        final List<LossCurve.Point> losses = recent.losses();
        loss = losses.isEmpty() ? null : losses.get(losses.size() - 1).loss();
        if (workers == null) {
          final Set<String> seen = recent.entries().stream().map(NodeRecords.Entry::worker).collect(Collectors.toSet());
          workers = seen.isEmpty() ? null : seen.size();
        }
      } catch (CliException e) {
        node = "unavailable: " + e.getMessage();
      }
    }
    final Long eta = total == null ? null : rate.eta(step, total);
    return new Update(jobId, RevertText.jobStatus(job.status), step, total, loss, anchoredSteps * cells,
        head.component2().longValueExact(), escrow.paid(), workers, eta, node);
  }

  /** Steps per second since the first update, and the time left at that pace. */
  static final class Rate {
    private final LongSupplier nanos;
    private long firstStep = -1;
    private long firstAt;

    Rate(final LongSupplier nanos) {
      this.nanos = nanos;
    }

    /** Seconds to {@code total} at the pace seen so far; null before any progress. */
    Long eta(final long step, final long total) {
      final long now = nanos.getAsLong();
      if (firstStep < 0) {
        firstStep = step;
        firstAt = now;
        return step >= total ? 0L : null;
      }
      if (step >= total) {
        return 0L;
      }
      if (step <= firstStep || now <= firstAt) {
        return null;
      }
      final double perSecond = (step - firstStep) / ((now - firstAt) / 1e9);
      return Math.round((total - step) / perSecond);
    }
  }

  static String clock(final long seconds) {
    return seconds >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60)
        : String.format(Locale.ROOT, "%d:%02d", seconds / 60, seconds % 60);
  }
}
