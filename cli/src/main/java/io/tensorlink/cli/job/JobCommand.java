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
import io.tensorlink.cli.model.ModelSpecFiles;
import io.tensorlink.cli.contracts.TlAmount;
import io.tensorlink.cli.contracts.Transactions;
import io.tensorlink.cli.contracts.Uint256;
import io.tensorlink.cli.contracts.ViewCommand;
import io.tensorlink.cli.support.Facts;
import io.tensorlink.cli.support.JsonOption;
import io.tensorlink.cli.support.Units;
import io.tensorlink.contracts.ContractSuite;
import io.tensorlink.contracts.deploy.ChainInfo;
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
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tl-cli job create|status|cancel}: jobs in the JobEscrow (the on-chain side; gossip comes later). */
@Command(name = "job", mixinStandardHelpOptions = true, footerHeading = Examples.HEADING, footer = {"  tl-cli job create --model mlp --budget 600 --price-per-step 2 --deadline 24h", "  tl-cli job status 1"}, description = "Create (fund), inspect and cancel training jobs in the escrow.")
public final class JobCommand {
  /** The commands of this group, built only when a command line names the group (see CommandTree). */
  public static List<Class<?>> commands() {
    return List.of(JobCommand.Create.class, JobCommand.ListJobs.class, JobCommand.Status.class, JobCommand.Cancel.class, JobCommand.Refund.class, JobCommand.Withdraw.class);
  }


  @Command(name = "create", mixinStandardHelpOptions = true, footerHeading = Examples.HEADING, footer = {"  tl-cli job create --model mlp --budget 600 --price-per-step 2 --deadline 24h", "  tl-cli job create --spec-hash 0xab... --budget 50 --price-per-step 1 --deadline 2027-01-01T00:00:00Z --dry-run",
      "  tl-cli job create --model mlp --budget 600 --price-per-step 2 --deadline 24h --yes --json | jq .jobId"}, description = "Approve the escrow if needed and create a job funded with <budget> TL.")
  static final class Create extends TransactionCommand {
    @ArgGroup(exclusive = true, multiplicity = "1")
    What what;

    static final class What {
      @Option(names = "--spec-hash", paramLabel = "<0x…>", description = "Hash of the job spec (32 bytes hex).")
      String specHash;

      @Option(names = "--model", paramLabel = "<spec>",
          description = "Model spec file or shipped name (mlp, cnn, gpt-char); its specHash is computed as 'model inspect' does.")
      String model;
    }

    @Option(names = "--params-hash", paramLabel = "<0x…>", description = "Hash of the protocol parameters (32 bytes hex; default zero).")
    String paramsHash;

    @Option(names = "--budget", required = true, paramLabel = "<TL>", converter = TlAmount.class, description = "TL locked for the job.")
    BigInteger budget;

    @Option(names = "--price-per-step", required = true, paramLabel = "<TL>", converter = TlAmount.class, description = "TL paid per verified step.")
    BigInteger pricePerStep;

    @Option(names = "--verify-rate-ppm", paramLabel = "<ppm>", defaultValue = "50000",
        description = "Share of each block's records every validator re-executes, in parts per million (1..1000000; default ${DEFAULT-VALUE}).")
    long verifyRatePpm;

    @Option(names = "--tolerance-ppm", paramLabel = "<ppm>", defaultValue = "0",
        description = "Tolerant verification: the relative L2 bound δ in ppm (1..1000000); 0 (default) verifies bit-exactly.")
    long tolerancePpm;

    @Option(names = "--deadline", required = true, paramLabel = "<when>",
        description = "After this the unspent budget is refundable: a duration from now (90m, 24h, 7d, 3600s) or an ISO instant, at most 3650 days ahead.")
    String deadline;

    @Mixin JsonOption json;

    @Mixin io.tensorlink.cli.xmr.XmrPayOptions pay; // --pay xmr (issue 13; owned by the xmr area)

    @Override
    protected int run(final CliContext ctx, final ChainSession session, final ContractSuite s) {
      final PrintWriter out = ctx.out();
      final var xmrTerms = pay.check();
      final byte[] spec = what.model != null ? ModelSpecFiles.specHash(ctx, what.model) : hash32("--spec-hash", what.specHash);
      final byte[] params = paramsHash == null ? new byte[32] : hash32("--params-hash", paramsHash);
      if (budget.compareTo(pricePerStep) < 0) {
        throw new CliException("--budget " + Units.tl(budget) + " does not pay for one step at --price-per-step "
            + Units.tl(pricePerStep), ExitCodes.USAGE);
      }
      final long now = ChainInfo.latestBlock(session.web3j()).getTimestamp().longValueExact();
      final BigInteger when = BigInteger.valueOf(Deadlines.parse(deadline, now));
      Preflight.requireTl(s, budget, "the job's budget");
      Preflight.requireGasMoney(session, s.account());
      final Sender sender = json.enabled() ? quietSender(ctx, session, s) : sender(ctx, session, s);
      // Mode 1 (tolerant) exactly when a tolerance is given; the contract checks the ranges.
      final BigInteger mode = tolerancePpm == 0 ? BigInteger.ZERO : BigInteger.ONE;
      final List<Sender.Step> steps = new ArrayList<>(sender.approvalFor("JobEscrow", s.escrow().getContractAddress(), budget));
      steps.add(new Sender.Step("createJob", s.escrow().createJob(spec, budget, pricePerStep, when, params,
          BigInteger.valueOf(verifyRatePpm), mode, BigInteger.valueOf(tolerancePpm)), s.escrow().getContractAddress()));
      final List<TransactionReceipt> receipts = sender.send(steps, "lock " + Units.tl(budget) + " in a job for spec "
          + Numeric.toHexString(spec) + " until " + Units.time(when), true);
      if (!sender.dryRun()) {
        final BigInteger jobId = JobEscrow.getJobCreatedEvents(receipts.get(receipts.size() - 1)).get(0).jobId;
        xmrTerms.map(t -> io.tensorlink.cli.xmr.XmrPayOptions.record(ctx, jobId, t))
            .filter(f -> !json.enabled()).ifPresent(f -> out.println("xmr terms: " + f));
        if (!json.enabled()) {
          out.printf("job id: %s%n", jobId);
        }
        printJob(out, json, s, jobId);
      }
      return ExitCodes.OK;
    }
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
