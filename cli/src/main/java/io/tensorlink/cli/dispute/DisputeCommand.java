package io.tensorlink.cli.dispute;

import io.tensorlink.chain.pol.EthAddress;
import io.tensorlink.chain.pol.PolDomain;
import io.tensorlink.chain.pol.SignedStepRecord;
import io.tensorlink.chain.pol.StepRecord;
import io.tensorlink.chain.validator.suite.CourtRecords;
import io.tensorlink.cli.CliContext;
import io.tensorlink.cli.CliException;
import io.tensorlink.cli.ExitCodes;
import io.tensorlink.cli.contracts.ChainSession;
import io.tensorlink.cli.contracts.Preflight;
import io.tensorlink.cli.contracts.RevertText;
import io.tensorlink.cli.contracts.Sender;
import io.tensorlink.cli.contracts.TransactionCommand;
import io.tensorlink.cli.contracts.Transactions;
import io.tensorlink.cli.contracts.Uint256;
import io.tensorlink.cli.contracts.ViewCommand;
import io.tensorlink.cli.job.JobCommand;
import io.tensorlink.cli.pol.AnchoredBlock;
import io.tensorlink.cli.pol.AnchoredBlocks;
import io.tensorlink.cli.pol.BlockIndex;
import io.tensorlink.cli.pol.Logs;
import io.tensorlink.cli.pol.PayoutFile;
import io.tensorlink.cli.pol.RecordFiles;
import io.tensorlink.cli.support.Examples;
import io.tensorlink.cli.support.Facts;
import io.tensorlink.cli.support.JsonOption;
import io.tensorlink.cli.support.Units;
import io.tensorlink.contracts.ContractSuite;
import io.tensorlink.contracts.deploy.ChainInfo;
import io.tensorlink.contracts.generated.DisputeCourt;
import io.tensorlink.contracts.merkle.MerkleTree;
import io.tensorlink.contracts.pol.PayoutTree;
import io.tensorlink.contracts.pol.PoLBlocks;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.tuweni.bytes.Bytes32;
import org.web3j.abi.EventEncoder;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.DefaultBlockParameterNumber;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.utils.Numeric;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tl-cli dispute open|status|draw|vote|resolve}: the DisputeCourt by hand. */
@Command(name = "dispute", mixinStandardHelpOptions = true, footerHeading = Examples.HEADING,
    footer = {"  tl-cli dispute open 1 0 --record bad-record.json --records block-0-records.json", "  tl-cli dispute status 1"},
    description = "Challenge a step record of an anchored block, follow the dispute, and vote on it as a committee member.")
public final class DisputeCommand {
  /** The commands of this group, built only when a command line names the group (see CommandTree). */
  public static List<Class<?>> commands() {
    return List.of(DisputeCommand.Open.class, DisputeCommand.Status.class, DisputeCommand.Draw.class, DisputeCommand.Vote.class,
        DisputeCommand.Resolve.class);
  }

  @Command(name = "open", mixinStandardHelpOptions = true, footerHeading = Examples.HEADING,
      footer = {"  tl-cli dispute open 1 0 --record 0xf9… --records block-0-records.json",
          "  tl-cli dispute open 1 0 --record bad.json --records block-0-records.json --payouts block-0-payouts.json --dry-run"},
      description = {"Challenge a worker's signed step record in block <index> of a job: commits, then reveals the evidence in"
          + " a later chain block, which locks the court's bond (two transactions, plus an approve between them if needed).",
          "The record is checked locally first (its worker's signature, job, step range, its place in the block), so a"
              + " tampered record costs nothing. Records are off-chain: the inclusion proof is built from the block's"
              + " records (--records), checked against the block's stepsRoot; --payouts also voids the worker's payout."})
  static final class Open extends TransactionCommand {
    @Parameters(index = "0", paramLabel = "<job-id>", converter = Uint256.class, description = "The job id.")
    BigInteger jobId;

    @Parameters(index = "1", paramLabel = "<index>", converter = BlockIndex.class, description = "The block holding the record.")
    long index;

    @Option(names = "--record", required = true, paramLabel = "<0x…|file>",
        description = "The disputed signed record: wire RLP as 0x-hex, or a file with that hex or the record as JSON (with \"signature\").")
    String record;

    @Option(names = "--records", required = true, paramLabel = "<file.json>",
        description = "The block's records (JSON array: signed records as wire hex or JSON, or record hashes), for the inclusion proof.")
    Path records;

    @Option(names = "--payouts", paramLabel = "<file.json>",
        description = "The block's payout leaves (as for 'claim'), to void the worker's payout on a fraud verdict.")
    Path payouts;

    @Override
    protected int run(final CliContext ctx, final ChainSession session, final ContractSuite s) {
      JobCommand.existing(s, jobId);
      final SignedStepRecord signed = RecordFiles.signed("--record", record);
      final StepRecord r = signed.record();
      final AnchoredBlock b = AnchoredBlocks.one(session, s, jobId, index);
      final String what = "block " + index + " of job " + jobId;
      if (!r.jobId().equals(jobId)) {
        throw Preflight.refuse("the record is of job " + r.jobId() + ", not job " + jobId);
      }
      if (r.step() < b.header().stepFrom.longValueExact() || r.step() >= b.header().stepTo.longValueExact()) {
        throw Preflight.refuse("the record's step " + r.step() + " is outside " + what + " (steps " + b.header().stepFrom
            + ".." + b.header().stepTo + ", stepTo exclusive)");
      }
      final PolDomain domain = PolDomain.of(session.chainId(), EthAddress.of(s.anchor().getContractAddress()));
      if (!signed.signatureValid(domain)) {
        throw Preflight.refuse("the record's signature is not its worker's (" + r.worker()
            + "): the record was altered or signed by another key");
      }
      if (r.worker().toString().equalsIgnoreCase(s.account())) {
        throw Preflight.refuse(Units.address(s.account()) + " cannot dispute its own record");
      }
      final List<Bytes32> leaves = RecordFiles.leavesOf("--records", records, b.header().stepsRoot, what);
      final MerkleTree steps = MerkleTree.of(leaves.stream().map(Bytes32::toArray).toList());
      if (!leaves.contains(signed.leaf())) {
        throw Preflight.refuse("the record " + signed.leaf() + " is not among the records of " + what);
      }
      refuseIfDisputed(session, s, b, signed.leaf().toArray());
      BigInteger payoutAmount = BigInteger.ZERO;
      List<byte[]> payoutProof = List.of();
      if (payouts != null) {
        final PayoutTree tree = PayoutFile.readFor("--payouts", payouts, b.header().payoutsRoot, what);
        try {
          payoutAmount = tree.amount(r.worker().toString());
        } catch (IllegalArgumentException e) {
          throw new CliException("--payouts " + payouts + " has no payout for the record's worker " + r.worker()
              + " (leave --payouts out to dispute without voiding a payout)", ExitCodes.USAGE);
        }
        payoutProof = tree.proof(r.worker().toString());
      }
      final BigInteger closesAt = Transactions.call("claimableAt", s.escrow().claimableAt(jobId, b.header().index));
      final BigInteger now = ChainInfo.latestBlock(session.web3j()).getTimestamp();
      if (now.compareTo(closesAt) >= 0) {
        throw Preflight.refuse("the challenge window of " + what + " closed at " + Units.time(closesAt) + " (chain time "
            + Units.time(now) + ")");
      }
      final BigInteger bond = Transactions.call("params", s.court().params()).challengeBond;
      Preflight.requireTl(s, bond, "the challenge bond");
      Preflight.requireGasMoney(session, s.account());

      final byte[] salt = new byte[32];
      new SecureRandom().nextBytes(salt);
      final byte[] leaf = signed.leaf().toArray();
      final byte[] commitment = Transactions.call("challengeCommitment",
          s.court().challengeCommitment(s.account(), jobId, b.header().index, leaf, salt));
      final DisputeCourt.Evidence evidence = new DisputeCourt.Evidence(PoLBlocks.forCourt(b.header()), b.signers(),
          CourtRecords.forCourt(r), signed.signature().value().toArray(), steps.proof(leaf), payoutAmount, payoutProof, salt);
      final Sender sender = sender(ctx, session, s);
      final String court = s.court().getContractAddress();
      // The commit first: the approve then sits right before the reveal that pulls the bond, so the
      // reveal is simulated with the allowance in place (and the commit mined) before any approve.
      final List<Sender.Step> plan = new ArrayList<>(List.of(new Sender.Step("commitChallenge", s.court().commitChallenge(commitment), court)));
      plan.addAll(sender.approvalFor("DisputeCourt", court, bond));
      plan.add(new Sender.Step("challenge", s.court().challenge(evidence), court));
      final List<TransactionReceipt> receipts = sender.send(plan, "lock a " + Units.tl(bond) + " bond and dispute record "
          + signed.leaf() + " of " + r.worker() + " in " + what, true);
      if (sender.dryRun()) {
        return ExitCodes.OK;
      }
      final BigInteger disputeId = DisputeCourt.getDisputeOpenedEvents(receipts.get(receipts.size() - 1)).get(0).disputeId;
      ctx.out().printf("dispute id: %s%n", disputeId);
      print(ctx, null, s, disputeId);
      return ExitCodes.OK;
    }
  }

  /**
   * The court takes one live dispute per record (and none after a fraud verdict); catching that here
   * saves the commit transaction the reveal would otherwise waste.
   */
  private static void refuseIfDisputed(final ChainSession session, final ContractSuite s, final AnchoredBlock b, final byte[] leaf) {
    final EthFilter filter = new EthFilter(new DefaultBlockParameterNumber(s.deployment().startBlock()),
        DefaultBlockParameterName.LATEST, s.court().getContractAddress());
    filter.addSingleTopic(EventEncoder.encode(DisputeCourt.DISPUTEOPENED_EVENT));
    filter.addNullTopic();
    filter.addSingleTopic(Numeric.toHexStringWithPrefixZeroPadded(b.header().jobId, 64));
    filter.addSingleTopic(Numeric.toHexStringWithPrefixZeroPadded(b.header().index, 64));
    for (final Log log : Logs.get(session, filter)) {
      final DisputeCourt.DisputeOpenedEventResponse e = DisputeCourt.getDisputeOpenedEventFromLog(log);
      if (!Arrays.equals(e.recordHash, leaf)) {
        continue;
      }
      final String status = status(Transactions.call("getDispute", s.court().getDispute(e.disputeId)).status);
      if (status.equals("Drawing") || status.equals("Voting") || status.equals("Fraud")) {
        throw Preflight.refuse("the record " + Numeric.toHexString(leaf) + " is already disputed: dispute " + e.disputeId
            + " is " + status + " ('tl-cli dispute status " + e.disputeId + "')");
      }
    }
  }

  @Command(name = "status", mixinStandardHelpOptions = true, footerHeading = Examples.HEADING,
      footer = {"  tl-cli dispute status 1", "  tl-cli dispute status 1 --json"},
      description = "Show a dispute: record, worker, challenger, status, committee and votes, deadlines, bond.")
  static final class Status extends ViewCommand {
    @Parameters(index = "0", paramLabel = "<dispute-id>", converter = Uint256.class, description = "The dispute id (printed by dispute open).")
    BigInteger disputeId;

    @Mixin JsonOption json;

    @Override
    protected int run(final CliContext ctx, final ChainSession session, final ContractSuite s) {
      print(ctx, json, s, disputeId);
      return ExitCodes.OK;
    }
  }

  @Command(name = "draw", mixinStandardHelpOptions = true, footerHeading = Examples.HEADING, footer = {"  tl-cli dispute draw 1"},
      description = "Draw a dispute's committee (anyone may), once its draw block is mined and within 256 blocks of it.")
  static final class Draw extends TransactionCommand {
    @Parameters(index = "0", paramLabel = "<dispute-id>", converter = Uint256.class, description = "The dispute id.")
    BigInteger disputeId;

    @Override
    protected int run(final CliContext ctx, final ChainSession session, final ContractSuite s) {
      final DisputeCourt.Dispute d = existing(s, disputeId);
      requireStatus(d, disputeId, "Drawing");
      final long head = ChainInfo.latestBlock(session.web3j()).getNumber().longValueExact();
      final long drawBlock = d.drawBlock.longValueExact();
      if (head < drawBlock) {
        throw Preflight.refuse("dispute " + disputeId + "'s committee comes from the hash of chain block " + drawBlock
            + ", not mined yet (chain is at " + head + ")");
      }
      if (head + 1 - drawBlock > 256) {
        throw Preflight.refuse("dispute " + disputeId + "'s draw block " + drawBlock + " is more than 256 blocks back: the draw"
            + " expired ('tl-cli dispute resolve " + disputeId + "' ends it)");
      }
      final Sender sender = sender(ctx, session, s);
      sender.send(List.of(new Sender.Step("draw", s.court().draw(disputeId), s.court().getContractAddress())),
          "draw the committee of dispute " + disputeId, false);
      if (!sender.dryRun()) {
        print(ctx, null, s, disputeId);
      }
      return ExitCodes.OK;
    }
  }

  @Command(name = "vote", mixinStandardHelpOptions = true, footerHeading = Examples.HEADING,
      footer = {"  tl-cli dispute vote 1 --fraud --keystore validator.json", "  tl-cli dispute vote 1 --valid"},
      description = "Vote on a dispute as a member of its committee: --fraud if re-executing the record disagrees with it, else --valid.")
  static final class Vote extends TransactionCommand {
    @Parameters(index = "0", paramLabel = "<dispute-id>", converter = Uint256.class, description = "The dispute id.")
    BigInteger disputeId;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Verdict verdict;

    static final class Verdict {
      @Option(names = "--fraud", description = "The record is fraudulent (its worker and obliged signers are slashed).")
      boolean fraud;

      @Option(names = "--valid", description = "The record is valid (the challenger loses its bond).")
      boolean valid;
    }

    @Override
    protected int run(final CliContext ctx, final ChainSession session, final ContractSuite s) {
      final DisputeCourt.Dispute d = existing(s, disputeId);
      requireStatus(d, disputeId, "Voting");
      final List<String> committee = addresses(Transactions.call("committee", s.court().committee(disputeId)));
      final String me = s.account();
      final int seat = committee.stream().map(String::toLowerCase).toList().indexOf(me.toLowerCase());
      if (seat < 0) {
        throw Preflight.refuse(Units.address(me) + " is not on the committee of dispute " + disputeId);
      }
      if (d.voteMask.testBit(seat)) {
        throw Preflight.refuse(Units.address(me) + " already voted on dispute " + disputeId);
      }
      final BigInteger now = ChainInfo.latestBlock(session.web3j()).getTimestamp();
      if (now.compareTo(d.votingEndsAt) >= 0) {
        throw Preflight.refuse("voting on dispute " + disputeId + " closed at " + Units.time(d.votingEndsAt));
      }
      final Sender sender = sender(ctx, session, s);
      sender.send(List.of(new Sender.Step("vote", s.court().vote(disputeId, verdict.fraud), s.court().getContractAddress())),
          "vote " + (verdict.fraud ? "fraud" : "valid") + " on dispute " + disputeId, false);
      if (!sender.dryRun()) {
        print(ctx, null, s, disputeId);
      }
      return ExitCodes.OK;
    }
  }

  @Command(name = "resolve", mixinStandardHelpOptions = true, footerHeading = Examples.HEADING, footer = {"  tl-cli dispute resolve 1"},
      description = "Resolve a dispute (anyone may) once a majority voted, voting closed, or the draw expired.")
  static final class Resolve extends TransactionCommand {
    @Parameters(index = "0", paramLabel = "<dispute-id>", converter = Uint256.class, description = "The dispute id.")
    BigInteger disputeId;

    @Override
    protected int run(final CliContext ctx, final ChainSession session, final ContractSuite s) {
      final DisputeCourt.Dispute d = existing(s, disputeId);
      final String status = status(d.status);
      if (!status.equals("Drawing") && !status.equals("Voting")) {
        throw Preflight.refuse("dispute " + disputeId + " is already resolved: " + status);
      }
      // The remaining conditions (majority, deadlines) are the court's; the suite's pre-flight call reports them by name.
      final Sender sender = sender(ctx, session, s);
      sender.send(List.of(new Sender.Step("resolve", s.court().resolve(disputeId), s.court().getContractAddress())),
          "resolve dispute " + disputeId, true);
      if (!sender.dryRun()) {
        print(ctx, null, s, disputeId);
      }
      return ExitCodes.OK;
    }
  }

  /** The dispute, or a one-line error when there is none with this id. */
  static DisputeCourt.Dispute existing(final ContractSuite s, final BigInteger disputeId) {
    final DisputeCourt.Dispute d = Transactions.call("getDispute", s.court().getDispute(disputeId));
    if (d.status.signum() == 0) {
      throw new CliException("there is no dispute " + disputeId + " (dispute count "
          + Transactions.call("disputeCount", s.court().disputeCount()) + ")");
    }
    return d;
  }

  private static void requireStatus(final DisputeCourt.Dispute d, final BigInteger disputeId, final String wanted) {
    final String status = status(d.status);
    if (!status.equals(wanted)) {
      throw Preflight.refuse("dispute " + disputeId + " is " + status + ", not " + wanted);
    }
  }

  static String status(final BigInteger ordinal) {
    return RevertText.disputeStatus(ordinal);
  }

  @SuppressWarnings("rawtypes")
  private static List<String> addresses(final List raw) {
    final List<String> out = new ArrayList<>();
    for (final Object o : raw) {
      out.add(Units.address(o.toString()));
    }
    return out;
  }

  static void print(final CliContext ctx, final JsonOption json, final ContractSuite s, final BigInteger disputeId) {
    final DisputeCourt.Dispute d = existing(s, disputeId);
    final List<String> committee = addresses(Transactions.call("committee", s.court().committee(disputeId)));
    final List<String> sampled = addresses(Transactions.call("sampledSigners", s.court().sampledSigners(disputeId)));
    final List<String> voted = new ArrayList<>();
    for (int i = 0; i < committee.size(); i++) {
      if (d.voteMask.testBit(i)) {
        voted.add(committee.get(i));
      }
    }
    final String status = status(d.status);
    final String votingEndsAt = d.votingEndsAt.signum() == 0 ? null : Units.time(d.votingEndsAt);
    Facts.print(ctx.out(), json, f -> f
        .put("disputeId", disputeId).fact("status", status, "dispute " + disputeId, status)
        .put("jobId", d.jobId).put("blockIndex", d.blockIndex).put("step", d.step)
        .line("job " + d.jobId + ", block " + d.blockIndex + ", step " + d.step)
        .fact("recordHash", Numeric.toHexString(d.recordHash), "record", Numeric.toHexString(d.recordHash))
        .fact("worker", Units.address(d.worker), "worker", Units.address(d.worker))
        .fact("challenger", Units.address(d.challenger), "challenger", Units.address(d.challenger))
        .put("bond", Units.plain(d.bond)).put("payoutAmount", Units.plain(d.payoutAmount))
        .line("bond: " + Units.tl(d.bond) + ", payout at stake: " + Units.tl(d.payoutAmount))
        .fact("drawBlock", d.drawBlock, "committee drawn from chain block", d.drawBlock.toString())
        .put("committee", committee).put("voted", voted)
        .line("committee: " + (committee.isEmpty() ? "not drawn yet" : String.join(", ", committee)))
        .put("fraudVotes", d.fraudVotes).put("validVotes", d.validVotes)
        .line("votes: " + d.fraudVotes + " fraud, " + d.validVotes + " valid, of " + committee.size())
        .fact("votingEndsAt", votingEndsAt, "voting ends", votingEndsAt == null ? "-" : votingEndsAt)
        .fact("sampledSigners", sampled, "signers obliged to have checked it", sampled.isEmpty() ? "none" : String.join(", ", sampled))
        .put("slashBps", d.slashBps).put("challengerRewardBps", d.challengerRewardBps));
  }
}
