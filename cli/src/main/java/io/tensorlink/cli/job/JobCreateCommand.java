package io.tensorlink.cli.job;

import io.tensorlink.chain.pol.JobSpec;
import io.tensorlink.chain.pol.VerifyMode;
import io.tensorlink.cli.CliContext;
import io.tensorlink.cli.CliException;
import io.tensorlink.cli.ExitCodes;
import io.tensorlink.cli.contracts.ChainSession;
import io.tensorlink.cli.contracts.Preflight;
import io.tensorlink.cli.contracts.Sender;
import io.tensorlink.cli.contracts.TlAmount;
import io.tensorlink.cli.contracts.TransactionCommand;
import io.tensorlink.cli.contracts.Transactions;
import io.tensorlink.cli.model.ModelSpecFiles;
import io.tensorlink.cli.support.Examples;
import io.tensorlink.cli.support.Facts;
import io.tensorlink.cli.support.JsonOption;
import io.tensorlink.cli.support.Units;
import io.tensorlink.cli.xmr.XmrPayOptions;
import io.tensorlink.contracts.ContractSuite;
import io.tensorlink.contracts.deploy.ChainInfo;
import io.tensorlink.contracts.generated.JobEscrow;
import io.tensorlink.chain.job.market.SavedJob;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.PrintWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.utils.Numeric;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code tl-cli job create}: funds a job in the escrow. With {@code --model … --dataset …} (or
 * {@code --spec job.json}) the job is a full spec whose canonical hash is the escrow's paramsHash and
 * whose verification terms the escrow stores; the spec is saved under {@code <data-dir>/jobs/} for
 * the node's client role to announce on {@code /tl/jobs/1}. {@code --dry-run} prints the cost
 * preview and the gas estimate and sends nothing.
 */
@Command(name = "create", mixinStandardHelpOptions = true, footerHeading = Examples.HEADING, footer = {
    "  tl-cli job create --model mlp --dataset fashion-mnist --steps 300 --batch 64 --stages 2 --replicas 2 \\",
    "      --verify-rate 0.05 --budget 1500 --price-per-step 1 --deadline 24h --dry-run",
    "  tl-cli job create --spec job.json --budget 1500 --deadline 24h --yes --json | jq .jobId",
    "  tl-cli job create --model mlp --budget 600 --price-per-step 2 --deadline 24h",
    "  tl-cli job create --spec-hash 0xab... --budget 50 --price-per-step 1 --deadline 2027-01-01T00:00:00Z --dry-run"},
    description = "Approve the escrow if needed and create a job funded with <budget> TL.")
final class JobCreateCommand extends TransactionCommand {
  @ArgGroup(exclusive = true, multiplicity = "1")
  What what;

  static final class What {
    @Option(names = "--spec-hash", paramLabel = "<0x…>", description = "Hash of the model spec (32 bytes hex); an on-chain-only job.")
    String specHash;

    @Option(names = "--model", paramLabel = "<spec>",
        description = "Model spec file or shipped name (mlp, cnn, gpt-char); its specHash is computed as 'model inspect' does.")
    String model;

    @Option(names = "--spec", paramLabel = "<job.json>", description = "A complete job spec (docs/jobs-market.md): model, data, training, topology, verification, price.")
    Path spec;
  }

  @Mixin JobSpecOptions training;

  @Option(names = "--params-hash", paramLabel = "<0x…>", description = "Hash of the protocol parameters of an on-chain-only job (32 bytes hex; default zero).")
  String paramsHash;

  @Option(names = "--budget", required = true, paramLabel = "<TL>", converter = TlAmount.class, description = "TL locked for the job.")
  BigInteger budget;

  @Option(names = "--price-per-step", paramLabel = "<TL>", converter = TlAmount.class,
      description = "TL paid per record (one per step, stage and replica); required unless --spec gives it.")
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

  @Mixin XmrPayOptions pay;

  /** The on-chain terms of the job, from a full spec or from the options alone. */
  private record Terms(byte[] specHash, byte[] paramsHash, BigInteger price, long ratePpm, long tolerancePpm,
      Optional<JobSpec> spec, Optional<Source> source) {}

  /** Where a full spec's data came from, saved for the node's client role. */
  private record Source(String dataset, Path model) {}

  @Override
  protected int run(final CliContext ctx, final ChainSession session, final ContractSuite s) {
    final PrintWriter out = ctx.out();
    final var xmrTerms = pay.check();
    final Terms terms = terms(ctx);
    final long jobSteps = terms.spec().map(JobSpec::steps).orElse(0L);
    if (budget.compareTo(terms.price()) < 0) {
      throw new CliException("--budget " + Units.tl(budget) + " does not pay for one step at --price-per-step "
          + Units.tl(terms.price()), ExitCodes.USAGE);
    }
    final BigInteger full = terms.price().multiply(BigInteger.valueOf(jobSteps));
    if (jobSteps > 0 && budget.compareTo(full) < 0) {
      throw new CliException("--budget " + Units.tl(budget) + " does not pay for the job's " + Units.count(jobSteps)
          + " steps at " + Units.tl(terms.price()) + " each: it needs " + Units.tl(full), ExitCodes.USAGE);
    }
    final long now = ChainInfo.latestBlock(session.web3j()).getTimestamp().longValueExact();
    final BigInteger when = BigInteger.valueOf(Deadlines.parse(deadline, now));
    final JobEscrow.Params fees = Transactions.call("params", s.escrow().params());
    final JobCost cost = new JobCost(budget, terms.price(), jobSteps, fees.validatorFeeBps.intValueExact(),
        fees.protocolFeeBps.intValueExact());
    Preflight.requireTl(s, budget, "the job's budget");
    Preflight.requireGasMoney(session, s.account());
    final Sender sender = json.enabled() ? quietSender(ctx, session, s) : sender(ctx, session, s);
    if (tx.dryRun()) {
      printPreview(json.enabled() ? spec.commandLine().getErr() : out, terms, cost);
    }
    // Mode 1 (tolerant) exactly when a tolerance is given; the contract checks the ranges.
    final BigInteger mode = terms.tolerancePpm() == 0 ? BigInteger.ZERO : BigInteger.ONE;
    final List<Sender.Step> steps = new ArrayList<>(sender.approvalFor("JobEscrow", s.escrow().getContractAddress(), budget));
    steps.add(new Sender.Step("createJob", s.escrow().createJob(terms.specHash(), budget, terms.price(), when,
        terms.paramsHash(), BigInteger.valueOf(terms.ratePpm()), mode, BigInteger.valueOf(terms.tolerancePpm())),
        s.escrow().getContractAddress()));
    final List<TransactionReceipt> receipts = sender.send(steps, "lock " + Units.tl(budget) + " in a job for spec "
        + Numeric.toHexString(terms.specHash()) + " until " + Units.time(when), true);
    if (tx.dryRun()) {
      if (json.enabled()) {
        Facts.print(out, json, f -> costFacts(f, terms, cost).put("dryRun", true));
      }
      return ExitCodes.OK;
    }
    final BigInteger jobId = JobEscrow.getJobCreatedEvents(receipts.get(receipts.size() - 1)).get(0).jobId;
    final Optional<Path> saved = terms.spec().map(j -> save(ctx, jobId, j, terms.source()));
    xmrTerms.map(t -> XmrPayOptions.record(ctx, jobId, t))
        .filter(f -> !json.enabled()).ifPresent(f -> out.println("xmr terms: " + f));
    if (!json.enabled()) {
      out.printf("job id: %s%n", jobId);
      saved.ifPresent(p -> out.printf("job spec saved: %s%s%n", p, terms.source().isPresent()
          ? " (with its data source: a node with --roles client announces it)"
          : " (no data source recorded: create it with --model and --dataset for a client node to serve it)"));
    }
    JobCommand.printJob(out, json, s, jobId);
    return ExitCodes.OK;
  }

  private Terms terms(final CliContext ctx) {
    final long rate = training.ratePpm(verifyRatePpm);
    if (what.spec != null) {
      final JobSpec j = JobSpecOptions.read(what.spec);
      if (pricePerStep != null && !pricePerStep.equals(j.pricePerStep())) {
        throw new CliException("--price-per-step " + Units.tl(pricePerStep) + " differs from the spec's pricePerStep "
            + Units.tl(j.pricePerStep()) + " (leave the option out)", ExitCodes.USAGE);
      }
      return fromSpec(j, Optional.empty());
    }
    if (pricePerStep == null) {
      throw new CliException("--price-per-step is required (unless --spec gives it)", ExitCodes.USAGE);
    }
    if (what.model != null && training.full()) {
      if (paramsHash != null) {
        throw new CliException("--params-hash is computed from the spec when --dataset is given; leave it out", ExitCodes.USAGE);
      }
      return fromSpec(training.build(ctx, what.model, pricePerStep, rate, tolerancePpm),
          Optional.of(new Source(training.dataset, ModelSpecFiles.resolve(ctx, what.model))));
    }
    final byte[] specHash = what.model != null ? ModelSpecFiles.specHash(ctx, what.model)
        : JobCommand.hash32("--spec-hash", what.specHash);
    final byte[] params = paramsHash == null ? new byte[32] : JobCommand.hash32("--params-hash", paramsHash);
    return new Terms(specHash, params, pricePerStep, rate, tolerancePpm, Optional.empty(), Optional.empty());
  }

  private static Terms fromSpec(final JobSpec j, final Optional<Source> source) {
    return new Terms(j.specHash().toArray(), j.paramsHash().toArray(), j.pricePerStep(), j.verifyRatePpm(),
        j.verifyMode() == VerifyMode.EXACT ? 0 : j.tolerancePpmL2(), Optional.of(j), source);
  }

  private static Facts costFacts(final Facts f, final Terms terms, final JobCost cost) {
    terms.spec().ifPresent(j -> f.put("paramsHash", j.paramsHash().toHexString()).put("records", records(j))
        .put("steps", j.steps()).put("stages", j.stages()).put("replicas", j.replicas()));
    return f.put("budget", Units.plain(cost.budget())).put("pricePerStep", Units.plain(cost.price()))
        .put("maxSpent", Units.plain(cost.maxSpent())).put("validatorFees", Units.plain(cost.validatorFees()))
        .put("protocolFee", Units.plain(cost.protocolFee())).put("toWorkers", Units.plain(cost.toWorkers()))
        .put("refundable", Units.plain(cost.refundable()));
  }

  /** One record per step, stage and replica. */
  private static long records(final JobSpec j) {
    return Math.multiplyExact(j.steps(), (long) j.stages() * j.replicas());
  }

  private static void printPreview(final PrintWriter out, final Terms terms, final JobCost cost) {
    terms.spec().ifPresent(j -> out.printf("job: %s steps × %s stages × %s replicas = %s records, batch %s, "
        + "verify rate %s ppm, paramsHash %s%n", Units.count(j.steps()), j.stages(), j.replicas(),
        Units.count(records(j)), j.batch(), j.verifyRatePpm(), j.paramsHash().toHexString()));
    out.printf("cost: at most %s spent of the %s budget (%s); validator fees %s (%s bps), protocol fee %s (%s bps), "
        + "workers %s; refundable at least %s%n", Units.tl(cost.maxSpent()), Units.tl(cost.budget()),
        cost.steps() == 0 ? "job length unknown without a full spec" : Units.count(cost.steps()) + " steps at "
            + Units.tl(cost.price()) + ", each shared by its records' workers", Units.tl(cost.validatorFees()),
        cost.validatorFeeBps(),
        Units.tl(cost.protocolFee()), cost.protocolFeeBps(), Units.tl(cost.toWorkers()), Units.tl(cost.refundable()));
  }

  /** Saves the canonical spec (and, when known, its data source) where the node's client role finds it. */
  private static Path save(final CliContext ctx, final BigInteger jobId, final JobSpec j, final Optional<Source> source) {
    final Path dir = ctx.dataDir().resolve("jobs");
    try {
      if (source.isPresent()) {
        new SavedJob(jobId, j, source.get().dataset(), source.get().model()).write(dir);
      } else {
        Files.createDirectories(dir);
        Files.writeString(SavedJob.specFile(dir, jobId), j.canonicalJson());
      }
      return SavedJob.specFile(dir, jobId);
    } catch (IOException | UncheckedIOException e) {
      throw new CliException("job " + jobId + " was created, but its spec could not be saved under " + dir + ": "
          + e.getMessage(), ExitCodes.FAILURE, e);
    }
  }
}
