package io.tensorlink.cli.pol;

import io.tensorlink.chain.pol.EthAddress;
import io.tensorlink.chain.pol.Sampling;
import io.tensorlink.chain.pol.StepRecord;
import io.tensorlink.cli.CliContext;
import io.tensorlink.cli.ExitCodes;
import io.tensorlink.cli.contracts.ChainSession;
import io.tensorlink.cli.contracts.Transactions;
import io.tensorlink.cli.contracts.Uint256;
import io.tensorlink.cli.contracts.ViewCommand;
import io.tensorlink.cli.job.JobCommand;
import io.tensorlink.cli.support.Examples;
import io.tensorlink.cli.support.Facts;
import io.tensorlink.cli.support.JsonOption;
import io.tensorlink.cli.support.Units;
import io.tensorlink.contracts.ContractSuite;
import io.tensorlink.contracts.generated.JobEscrow;
import io.tensorlink.contracts.generated.PoLAnchor.PoLBlock;
import io.tensorlink.contracts.pol.PoLBlocks;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.tuweni.bytes.Bytes32;
import org.web3j.crypto.Hash;
import org.web3j.tuples.generated.Tuple2;
import org.web3j.tuples.generated.Tuple3;
import org.web3j.utils.Numeric;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tl-cli pol blocks|block}: a job's anchored proof-of-learning blocks, from the PoLAnchor's events. */
@Command(name = "pol", mixinStandardHelpOptions = true, footerHeading = Examples.HEADING,
    footer = {"  tl-cli pol blocks 1", "  tl-cli pol block 1 0 --records block-0-records.json"},
    description = "Inspect a job's anchored proof-of-learning blocks: headers, signers, samples, payouts.")
public final class PolCommand {
  /** The commands of this group, built only when a command line names the group (see CommandTree). */
  public static List<Class<?>> commands() {
    return List.of(PolCommand.Blocks.class, PolCommand.Block.class);
  }


  @Command(name = "blocks", mixinStandardHelpOptions = true, footerHeading = Examples.HEADING,
      footer = {"  tl-cli pol blocks 1", "  tl-cli pol blocks 1 --json"},
      description = "List a job's anchored blocks: index, steps, signers' share of stake, worker pool, when claimable.")
  static final class Blocks extends ViewCommand {
    @Parameters(index = "0", paramLabel = "<job-id>", converter = Uint256.class, description = "The job id.")
    BigInteger jobId;

    @Mixin JsonOption json;

    @Override
    protected int run(final CliContext ctx, final ChainSession session, final ContractSuite s) {
      JobCommand.existing(s, jobId);
      final List<AnchoredBlock> blocks = AnchoredBlocks.of(session, s, jobId);
      final List<Map<String, Object>> rows = new ArrayList<>();
      final List<String> lines = new ArrayList<>();
      for (final AnchoredBlock b : blocks) {
        final Tuple2<BigInteger, BigInteger> payout = Transactions.call("blockPayout", s.escrow().blockPayout(jobId, b.header().index));
        final BigInteger claimableAt = Transactions.call("claimableAt", s.escrow().claimableAt(jobId, b.header().index));
        final Map<String, Object> row = summary(b);
        row.put("pool", Units.plain(payout.component1()));
        row.put("paid", Units.plain(payout.component2()));
        row.put("claimableAt", Units.time(claimableAt));
        rows.add(row);
        lines.add(String.format(Locale.ROOT, "%5d  steps %s..%s  %2d signers (%s)  pool %s  claimable %s  tx %s", b.index(),
            b.header().stepFrom, b.header().stepTo, b.signers().size(), share(b), Units.tl(payout.component1()),
            Units.time(claimableAt), b.transactionHash()));
      }
      Facts.print(ctx.out(), json, f -> {
        f.put("jobId", jobId).put("blocks", rows);
        f.line(blocks.isEmpty() ? "job " + jobId + " has no anchored blocks yet" : "job " + jobId + ": " + blocks.size()
            + " anchored block" + (blocks.size() == 1 ? "" : "s"));
        lines.forEach(f::line);
      });
      return ExitCodes.OK;
    }
  }

  @Command(name = "block", mixinStandardHelpOptions = true, footerHeading = Examples.HEADING,
      footer = {"  tl-cli pol block 1 0", "  tl-cli pol block 1 0 --records block-0-records.json --json"},
      description = {"Show one anchored block: its header, signers, anchoring transaction, payout pool and,"
          + " with --records, which records each signer had to re-execute.",
          "Records are off-chain: the chain has only their Merkle root (stepsRoot), so the mandatory sample can be"
              + " listed only from the block's records (the file is checked against stepsRoot)."})
  static final class Block extends ViewCommand {
    @Parameters(index = "0", paramLabel = "<job-id>", converter = Uint256.class, description = "The job id.")
    BigInteger jobId;

    @Parameters(index = "1", paramLabel = "<index>", converter = BlockIndex.class, description = "The block index (0, 1, …).")
    long index;

    @Option(names = "--records", paramLabel = "<file.json>",
        description = "The block's records (JSON array of signed records: wire hex or JSON objects), to list the mandatory sample.")
    Path records;

    @Mixin JsonOption json;

    @Override
    protected int run(final CliContext ctx, final ChainSession session, final ContractSuite s) {
      final JobEscrow.Job job = JobCommand.existing(s, jobId);
      final AnchoredBlock b = AnchoredBlocks.one(session, s, jobId, index);
      final PoLBlock h = b.header();
      final byte[] commitment = Transactions.call("blockCommitment", s.anchor().blockCommitment(jobId, h.index));
      final boolean committed = Arrays.equals(commitment, commitment(b));
      final Tuple2<BigInteger, BigInteger> payout = Transactions.call("blockPayout", s.escrow().blockPayout(jobId, h.index));
      final BigInteger claimableAt = Transactions.call("claimableAt", s.escrow().claimableAt(jobId, h.index));
      final List<Sampled> sampled = records == null ? null : sample(b, job.verifyRatePpm.intValueExact());
      Facts.print(ctx.out(), json, f -> {
        final Map<String, Object> row = summary(b);
        row.forEach(f::put);
        f.line("job " + jobId + ", block " + index + ": steps " + h.stepFrom + ".." + h.stepTo + " (stepTo exclusive)")
            .line("block hash: " + hex(b.blockHash()))
            .fact("parent", hex(h.parent), "parent", hex(h.parent))
            .fact("stepsRoot", hex(h.stepsRoot), "steps root", hex(h.stepsRoot))
            .fact("payoutsRoot", hex(h.payoutsRoot), "payouts root", hex(h.payoutsRoot))
            .fact("checkpointRoot", hex(h.checkpointRoot), "checkpoint root", hex(h.checkpointRoot))
            .fact("randomness", hex(h.randomness), "randomness", hex(h.randomness) + " (hash of chain block " + h.randomnessBlock + ")")
            .put("randomnessBlock", h.randomnessBlock)
            .line("signers: " + b.signers().size() + ", " + share(b) + " of the epoch's stake ("
                + Units.tl(b.signedStake()) + " of " + Units.tl(b.totalStake()) + ")");
        b.signers().forEach(v -> f.line("  " + Units.address(v)));
        f.line("anchored: tx " + b.transactionHash() + ", chain block " + b.chainBlock() + ", " + Units.time(BigInteger.valueOf(b.anchoredAt())))
            .fact("commitmentMatches", committed, "on-chain commitment", committed ? "matches header and signers"
                : "DOES NOT MATCH (the events and the anchor's stored commitment disagree)")
            .put("pool", Units.plain(payout.component1())).put("paid", Units.plain(payout.component2()))
            .line("worker pool: " + Units.tl(payout.component1()) + ", paid: " + Units.tl(payout.component2()))
            .fact("claimableAt", Units.time(claimableAt), "claimable from", Units.time(claimableAt) + " (challenge window until then)")
            .put("verifyRatePpm", job.verifyRatePpm)
            .put("sampled", sampled == null ? null : sampled.stream().map(Sampled::json).toList());
        if (sampled == null) {
          f.line("sampled records: give --records <file> (the block's records) to list each signer's mandatory sample"
              + " at " + job.verifyRatePpm + " ppm");
        } else {
          f.line("sampled records (verify rate " + job.verifyRatePpm + " ppm): " + sampled.size() + " record"
              + (sampled.size() == 1 ? "" : "s"));
          sampled.forEach(r -> f.line("  " + r.record().recordHash().toHexString() + "  step " + r.record().step() + " stage "
              + r.record().stage() + " replica " + r.record().replica() + "  " + r.record().worker() + "  must be checked by: "
              + (r.by().isEmpty() ? "no signer" : String.join(", ", r.by()))));
        }
      });
      return ExitCodes.OK;
    }

    /** Each record of the file with the signers whose mandatory sample held it; the file must match stepsRoot. */
    private List<Sampled> sample(final AnchoredBlock b, final int ratePpm) {
      RecordFiles.leavesOf("--records", records, b.header().stepsRoot, "block " + index);
      final Bytes32 randomness = Bytes32.wrap(b.header().randomness);
      return RecordFiles.records("--records", records).stream().map(r -> new Sampled(r, b.signers().stream()
          .filter(v -> Sampling.mandatory(randomness, EthAddress.of(v), r.recordHash(), ratePpm)).map(Units::address).toList()))
          .toList();
    }

    /** A record of the block and the signers whose mandatory sample held it. */
    record Sampled(StepRecord record, List<String> by) {
      Map<String, Object> json() {
        final Map<String, Object> row = new LinkedHashMap<>();
        row.put("recordHash", record.recordHash().toHexString());
        row.put("step", record.step());
        row.put("stage", record.stage());
        row.put("replica", record.replica());
        row.put("worker", record.worker().toString());
        row.put("sampledBy", by);
        return row;
      }
    }
  }

  /** The job's head on the anchor: (last block hash, next index, next step). */
  static Tuple3<byte[], BigInteger, BigInteger> head(final ContractSuite s, final BigInteger jobId) {
    return Transactions.call("head", s.anchor().head(jobId));
  }

  /** What the anchor stores per block: keccak256(abi.encode(blockHash, signersHash)). */
  private static byte[] commitment(final AnchoredBlock b) {
    final byte[] packed = new byte[64];
    System.arraycopy(b.blockHash(), 0, packed, 0, 32);
    System.arraycopy(PoLBlocks.signersHash(b.signers()), 0, packed, 32, 32);
    return Hash.sha3(packed);
  }

  private static Map<String, Object> summary(final AnchoredBlock b) {
    final Map<String, Object> row = new LinkedHashMap<>();
    row.put("index", b.index());
    row.put("blockHash", hex(b.blockHash()));
    row.put("stepFrom", b.header().stepFrom);
    row.put("stepTo", b.header().stepTo);
    row.put("signers", b.signers().stream().map(Units::address).toList());
    row.put("signedStake", Units.plain(b.signedStake()));
    row.put("totalStake", Units.plain(b.totalStake()));
    row.put("transactionHash", b.transactionHash());
    row.put("chainBlock", b.chainBlock());
    row.put("anchoredAt", Units.time(BigInteger.valueOf(b.anchoredAt())));
    return row;
  }

  private static String share(final AnchoredBlock b) {
    if (b.totalStake().signum() == 0) {
      return "0%";
    }
    return new BigDecimal(b.signedStake()).multiply(BigDecimal.valueOf(100))
        .divide(new BigDecimal(b.totalStake()), 1, RoundingMode.DOWN).stripTrailingZeros().toPlainString() + "%";
  }

  static String hex(final byte[] bytes) {
    return Numeric.toHexString(bytes);
  }
}
