package io.tensorlink.cli.job;

import io.tensorlink.cli.support.Examples;
import io.tensorlink.cli.CliContext;
import io.tensorlink.cli.CliException;
import io.tensorlink.cli.ExitCodes;
import io.tensorlink.cli.contracts.ChainSession;
import io.tensorlink.cli.contracts.RevertText;
import io.tensorlink.cli.contracts.Preflight;
import io.tensorlink.cli.contracts.Sender;
import io.tensorlink.cli.contracts.TransactionCommand;
import io.tensorlink.cli.contracts.Transactions;
import io.tensorlink.cli.contracts.Uint256;
import io.tensorlink.cli.contracts.ViewCommand;
import io.tensorlink.cli.support.Facts;
import io.tensorlink.cli.support.JsonOption;
import io.tensorlink.cli.support.Units;
import io.tensorlink.contracts.ContractSuite;
import io.tensorlink.contracts.generated.JobEscrow;
import java.io.PrintWriter;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.tuples.generated.Tuple3;
import org.web3j.utils.Numeric;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tl-cli job create|list|status|cancel|refund|withdraw}: jobs in the JobEscrow ({@code create} in {@link JobCreateCommand}). */
@Command(name = "job", mixinStandardHelpOptions = true, footerHeading = Examples.HEADING, footer = {"  tl-cli job create --model mlp --budget 600 --price-per-step 2 --deadline 24h", "  tl-cli job status 1"}, description = "Create (fund), inspect, watch and cancel training jobs in the escrow; fetch their checked result.")
public final class JobCommand {
  /** The commands of this group, built only when a command line names the group (see CommandTree). */
  public static List<Class<?>> commands() {
    return List.of(JobCreateCommand.class, JobCommand.ListJobs.class, JobCommand.Status.class, JobCommand.Cancel.class, JobCommand.Refund.class, JobCommand.Withdraw.class,
        JobWatchCommand.class, JobResultCommand.class);
  }


  @Command(name = "list", mixinStandardHelpOptions = true, footerHeading = Examples.HEADING,
      footer = {"  tl-cli job list", "  tl-cli job list --mine --genesis-account 4 --json"},
      description = "List the latest jobs (newest first): id, status, client, budget, deadline.")
  static final class ListJobs extends ViewCommand {
    @Option(names = "--mine", description = "Only jobs whose client is the chosen account (--keystore, --genesis-account).")
    boolean mine;

    @Option(names = "--limit", paramLabel = "<n>", defaultValue = "50", description = "Look at the latest <n> jobs (default: ${DEFAULT-VALUE}).")
    int limit;

    @Mixin JsonOption json;

    @Override
    protected int run(final CliContext ctx, final ChainSession session, final ContractSuite s) {
      if (limit < 1 || limit > 10_000) {
        throw new CliException("--limit must be 1..10000, got " + limit, ExitCodes.USAGE);
      }
      final String me = mine ? subject(ctx, session, null) : null;
      final BigInteger count = Transactions.call("jobCount", s.escrow().jobCount());
      final List<Map<String, Object>> rows = new ArrayList<>();
      final List<String> lines = new ArrayList<>();
      for (BigInteger id = count; id.signum() > 0 && count.subtract(id).intValue() < limit; id = id.subtract(BigInteger.ONE)) {
        final JobEscrow.Job job = Transactions.call("getJob", s.escrow().getJob(id));
        if (me != null && !me.equalsIgnoreCase(job.client)) {
          continue;
        }
        final String status = RevertText.jobStatus(job.status);
        final Map<String, Object> row = new LinkedHashMap<>();
        row.put("jobId", id);
        row.put("status", status);
        row.put("client", Units.address(job.client));
        row.put("budget", Units.plain(job.budget));
        row.put("deadline", Units.time(job.deadline));
        rows.add(row);
        lines.add(String.format(Locale.ROOT, "%6s  %-9s  %s  %16s  %s", id, status, Units.address(job.client), Units.tl(job.budget),
            Units.time(job.deadline)));
      }
      Facts.print(ctx.out(), json, f -> {
        f.put("jobCount", count).put("jobs", rows);
        if (lines.isEmpty()) {
          f.line(mine ? "no jobs of " + Units.address(me) + " among the latest " + limit : "no jobs yet");
        }
        lines.forEach(f::line);
      });
      return ExitCodes.OK;
    }
  }

  @Command(name = "status", mixinStandardHelpOptions = true, footerHeading = Examples.HEADING, footer = {"  tl-cli job status 1", "  tl-cli job status 1 --json"}, description = "Show a job: client, status, budget, reserved and released amounts, deadline, anchored blocks.")
  static final class Status extends ViewCommand {
    @Parameters(index = "0", paramLabel = "<job-id>", converter = Uint256.class, description = "The job id (printed by job create).")
    BigInteger jobId;

    @Mixin JsonOption json;

    @Override
    protected int run(final CliContext ctx, final ChainSession session, final ContractSuite s) {
      printJob(ctx.out(), json, s, jobId);
      return ExitCodes.OK;
    }
  }

  @Command(name = "cancel", mixinStandardHelpOptions = true, footerHeading = Examples.HEADING, footer = {"  tl-cli job cancel 1"}, description = "Cancel a job you created (Open or Active); the unreserved budget is credited back to you.")
  static final class Cancel extends TransactionCommand {
    @Parameters(index = "0", paramLabel = "<job-id>", converter = Uint256.class, description = "The job id (printed by job create).")
    BigInteger jobId;

    @Override
    protected int run(final CliContext ctx, final ChainSession session, final ContractSuite s) {
      final JobEscrow.Job job = existing(s, jobId);
      if (!job.client.equalsIgnoreCase(s.account())) {
        throw Preflight.refuse("job " + jobId + " belongs to " + Units.address(job.client) + ", not " + Units.address(s.account()));
      }
      final String status = RevertText.jobStatus(job.status);
      if (!status.equals("Open") && !status.equals("Active")) {
        throw Preflight.refuse("job " + jobId + " is " + status + "; only an Open or Active job can be cancelled");
      }
      final Sender sender = sender(ctx, session, s);
      final List<TransactionReceipt> receipts = sender.send(
          List.of(new Sender.Step("cancelJob", s.escrow().cancelJob(jobId), s.escrow().getContractAddress())),
          "cancel job " + jobId + " and credit its unreserved budget back", false);
      if (sender.dryRun()) {
        return ExitCodes.OK;
      }
      final TransactionReceipt r = receipts.get(0);
      final BigInteger refund = JobEscrow.getJobCancelledEvents(r).get(0).refund;
      ctx.out().printf("refund credited: %s (escrow credit now %s; 'tl-cli job withdraw' pays it out)%n", Units.tl(refund),
          Units.tl(Transactions.call("creditOf", s.escrow().creditOf(s.account()))));
      printJob(ctx.out(), null, s, jobId);
      return ExitCodes.OK;
    }
  }

  @Command(name = "refund", mixinStandardHelpOptions = true, footerHeading = Examples.HEADING, footer = {"  tl-cli job refund 1"}, description = "Credit a job's unreserved budget to its client, once Completed or past its deadline (anyone may call).")
  static final class Refund extends TransactionCommand {
    @Parameters(index = "0", paramLabel = "<job-id>", converter = Uint256.class, description = "The job id (printed by job create).")
    BigInteger jobId;

    @Override
    protected int run(final CliContext ctx, final ChainSession session, final ContractSuite s) {
      final JobEscrow.Job job = existing(s, jobId);
      final String status = RevertText.jobStatus(job.status);
      if (status.equals("Cancelled") || status.equals("Refunded")) {
        throw Preflight.refuse("job " + jobId + " is already " + status);
      }
      final Sender sender = sender(ctx, session, s);
      final List<TransactionReceipt> receipts = sender.send(
          List.of(new Sender.Step("refund", s.escrow().refund(jobId), s.escrow().getContractAddress())),
          "credit job " + jobId + "'s unreserved budget to its client", false);
      if (sender.dryRun()) {
        return ExitCodes.OK;
      }
      final TransactionReceipt r = receipts.get(0);
      ctx.out().printf("refund credited to the client: %s%n", Units.tl(JobEscrow.getJobRefundedEvents(r).get(0).refund));
      printJob(ctx.out(), null, s, jobId);
      return ExitCodes.OK;
    }
  }

  @Command(name = "withdraw", mixinStandardHelpOptions = true, footerHeading = Examples.HEADING, footer = {"  tl-cli job withdraw"}, description = "Withdraw the account's escrow credit (refunds, validator fees) to the account.")
  static final class Withdraw extends TransactionCommand {
    @Override
    protected int run(final CliContext ctx, final ChainSession session, final ContractSuite s) {
      final BigInteger credit = Transactions.call("creditOf", s.escrow().creditOf(s.account()));
      if (credit.signum() == 0) {
        throw Preflight.refuse(Units.address(s.account()) + " has no escrow credit to withdraw");
      }
      final Sender sender = sender(ctx, session, s);
      sender.send(List.of(new Sender.Step("withdraw", s.escrow().withdraw(), s.escrow().getContractAddress())),
          "withdraw " + Units.tl(credit) + " of escrow credit", false);
      if (sender.dryRun()) {
        return ExitCodes.OK;
      }
      ctx.out().printf("withdrawn: %s, balance: %s%n", Units.tl(credit),
          Units.tl(Transactions.call("balanceOf", s.token().balanceOf(s.account()))));
      return ExitCodes.OK;
    }
  }

  /** The job, or a one-line error when there is none with this id. */
  public static JobEscrow.Job existing(final ContractSuite s, final BigInteger jobId) {
    final JobEscrow.Job job = Transactions.call("getJob", s.escrow().getJob(jobId));
    if (job.status.signum() == 0) {
      throw new CliException("there is no job " + jobId + " (job count " + Transactions.call("jobCount", s.escrow().jobCount()) + ")");
    }
    return job;
  }

  static void printJob(final PrintWriter out, final JsonOption json, final ContractSuite s, final BigInteger jobId) {
    final JobEscrow.Job job = existing(s, jobId);
    final Tuple3<byte[], BigInteger, BigInteger> head = Transactions.call("head", s.anchor().head(jobId));
    final String status = RevertText.jobStatus(job.status);
    Facts.print(out, json, f -> f
        .put("jobId", jobId).fact("status", status, "job " + jobId, status)
        .fact("client", Units.address(job.client), "client", Units.address(job.client))
        .put("budget", Units.plain(job.budget)).put("pricePerStep", Units.plain(job.pricePerStep))
        .line("budget: " + Units.tl(job.budget) + ", price per step: " + Units.tl(job.pricePerStep))
        .put("reserved", Units.plain(job.reserved)).put("released", Units.plain(job.released))
        .line("reserved: " + Units.tl(job.reserved) + ", released: " + Units.tl(job.released))
        .fact("deadline", Units.time(job.deadline), "deadline", Units.time(job.deadline))
        .put("anchoredBlocks", head.component2()).put("nextStep", head.component3())
        .line("anchored blocks: " + head.component2() + " (next step " + head.component3() + ")")
        .fact("specHash", Numeric.toHexString(job.specHash), "spec hash", Numeric.toHexString(job.specHash)));
  }

  static byte[] hash32(final String option, final String hex) {
    final String clean = Numeric.cleanHexPrefix(hex.trim());
    if (clean.length() != 64 || !clean.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
      throw new CliException(option + " must be 32 bytes as 64 hex digits, got '" + hex + "'", ExitCodes.USAGE);
    }
    return Numeric.hexStringToByteArray(clean);
  }
}
