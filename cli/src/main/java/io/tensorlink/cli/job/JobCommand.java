package io.tensorlink.cli.job;

import io.tensorlink.cli.CliContext;
import io.tensorlink.cli.CliException;
import io.tensorlink.cli.ExitCodes;
import io.tensorlink.cli.contracts.ChainSession;
import io.tensorlink.cli.contracts.SuiteCommand;
import io.tensorlink.cli.contracts.TlAmount;
import io.tensorlink.cli.contracts.Transactions;
import io.tensorlink.contracts.ContractSuite;
import io.tensorlink.contracts.deploy.ChainInfo;
import io.tensorlink.contracts.generated.JobEscrow;
import java.io.PrintWriter;
import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.tuples.generated.Tuple3;
import org.web3j.utils.Numeric;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tl-cli job create|status|cancel}: jobs in the JobEscrow (the on-chain side; gossip comes later). */
@Command(name = "job", mixinStandardHelpOptions = true, description = "Create (fund), inspect and cancel training jobs in the escrow.",
    subcommands = {JobCommand.Create.class, JobCommand.Status.class, JobCommand.Cancel.class, JobCommand.Refund.class,
        JobCommand.Withdraw.class})
public final class JobCommand {
  /** JobEscrow.JobStatus, by ordinal. */
  static final List<String> STATUS = List.of("None", "Open", "Active", "Completed", "Cancelled", "Refunded");

  @Command(name = "create", mixinStandardHelpOptions = true, description = "Approve the escrow if needed and create a job funded with <budget> TL.")
  static final class Create extends SuiteCommand {
    @Option(names = "--spec-hash", required = true, paramLabel = "<0x…>", description = "Hash of the job spec (32 bytes hex).")
    String specHash;

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
        description = "After this the unspent budget is refundable: a duration from now (90m, 24h, 7d, 3600s) or an ISO instant.")
    String deadline;

    @Override
    protected int run(final CliContext ctx, final ChainSession session, final ContractSuite s) {
      final PrintWriter out = ctx.out();
      final long now = ChainInfo.latestBlock(session.web3j()).getTimestamp().longValueExact();
      final BigInteger when = BigInteger.valueOf(Deadlines.parse(deadline, now));
      final byte[] spec = hash32("--spec-hash", specHash);
      final byte[] params = paramsHash == null ? new byte[32] : hash32("--params-hash", paramsHash);
      Transactions.approveIfShort(out, s, s.escrow().getContractAddress(), budget);
      // Mode 1 (tolerant) exactly when a tolerance is given; the contract checks the ranges.
      final BigInteger mode = tolerancePpm == 0 ? BigInteger.ZERO : BigInteger.ONE;
      final TransactionReceipt r = Transactions.send(out, "createJob", s.escrow().createJob(spec, budget, pricePerStep, when, params,
          BigInteger.valueOf(verifyRatePpm), mode, BigInteger.valueOf(tolerancePpm)));
      final BigInteger jobId = JobEscrow.getJobCreatedEvents(r).get(0).jobId;
      out.printf("job id: %s%n", jobId);
      printJob(out, s, jobId);
      return ExitCodes.OK;
    }
  }

  @Command(name = "status", mixinStandardHelpOptions = true, description = "Show a job: client, status, budget, reserved and released amounts, deadline, anchored blocks.")
  static final class Status extends SuiteCommand {
    @Parameters(index = "0", paramLabel = "<job-id>")
    BigInteger jobId;

    @Override
    protected boolean signs() {
      return false;
    }

    @Override
    protected int run(final CliContext ctx, final ChainSession session, final ContractSuite s) {
      printJob(ctx.out(), s, jobId);
      return ExitCodes.OK;
    }
  }

  @Command(name = "cancel", mixinStandardHelpOptions = true, description = "Cancel a job you created (Open or Active); the unreserved budget is credited back to you.")
  static final class Cancel extends SuiteCommand {
    @Parameters(index = "0", paramLabel = "<job-id>")
    BigInteger jobId;

    @Override
    protected int run(final CliContext ctx, final ChainSession session, final ContractSuite s) {
      final TransactionReceipt r = Transactions.send(ctx.out(), "cancelJob", s.escrow().cancelJob(jobId));
      final BigInteger refund = JobEscrow.getJobCancelledEvents(r).get(0).refund;
      ctx.out().printf("refund credited: %s (escrow credit now %s; 'tl-cli job withdraw' pays it out)%n", TlAmount.format(refund),
          TlAmount.format(Transactions.call("creditOf", s.escrow().creditOf(s.account()))));
      printJob(ctx.out(), s, jobId);
      return ExitCodes.OK;
    }
  }

  @Command(name = "refund", mixinStandardHelpOptions = true, description = "Credit a job's unreserved budget to its client, once Completed or past its deadline (anyone may call).")
  static final class Refund extends SuiteCommand {
    @Parameters(index = "0", paramLabel = "<job-id>")
    BigInteger jobId;

    @Override
    protected int run(final CliContext ctx, final ChainSession session, final ContractSuite s) {
      final TransactionReceipt r = Transactions.send(ctx.out(), "refund", s.escrow().refund(jobId));
      ctx.out().printf("refund credited to the client: %s%n", TlAmount.format(JobEscrow.getJobRefundedEvents(r).get(0).refund));
      printJob(ctx.out(), s, jobId);
      return ExitCodes.OK;
    }
  }

  @Command(name = "withdraw", mixinStandardHelpOptions = true, description = "Withdraw the account's escrow credit (refunds, validator fees) to the account.")
  static final class Withdraw extends SuiteCommand {
    @Override
    protected int run(final CliContext ctx, final ChainSession session, final ContractSuite s) {
      final BigInteger credit = Transactions.call("creditOf", s.escrow().creditOf(s.account()));
      Transactions.send(ctx.out(), "withdraw", s.escrow().withdraw());
      ctx.out().printf("withdrawn: %s, balance: %s%n", TlAmount.format(credit),
          TlAmount.format(Transactions.call("balanceOf", s.token().balanceOf(s.account()))));
      return ExitCodes.OK;
    }
  }

  static void printJob(final PrintWriter out, final ContractSuite s, final BigInteger jobId) {
    final JobEscrow.Job job = Transactions.call("getJob", s.escrow().getJob(jobId));
    if (job.status.signum() == 0) {
      throw new CliException("there is no job " + jobId + " (job count " + Transactions.call("jobCount", s.escrow().jobCount()) + ")");
    }
    final Tuple3<byte[], BigInteger, BigInteger> head = Transactions.call("head", s.anchor().head(jobId));
    out.printf("job %s: %s%n", jobId, STATUS.get(job.status.intValueExact()));
    out.printf("client: %s%n", job.client);
    out.printf("budget: %s, price per step: %s%n", TlAmount.format(job.budget), TlAmount.format(job.pricePerStep));
    out.printf("reserved: %s, released: %s%n", TlAmount.format(job.reserved), TlAmount.format(job.released));
    out.printf("deadline: %s%n", Instant.ofEpochSecond(job.deadline.longValueExact()));
    out.printf("anchored blocks: %s (next step %s)%n", head.component2(), head.component3());
    out.printf("spec hash: %s%n", Numeric.toHexString(job.specHash));
  }

  static byte[] hash32(final String option, final String hex) {
    final String clean = Numeric.cleanHexPrefix(hex.trim());
    if (clean.length() != 64 || !clean.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
      throw new CliException(option + " must be 32 bytes as 64 hex digits, got '" + hex + "'", ExitCodes.USAGE);
    }
    return Numeric.hexStringToByteArray(clean);
  }
}
