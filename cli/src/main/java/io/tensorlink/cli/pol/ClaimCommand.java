package io.tensorlink.cli.pol;

import io.tensorlink.cli.CliContext;
import io.tensorlink.cli.CliException;
import io.tensorlink.cli.ExitCodes;
import io.tensorlink.cli.contracts.ChainSession;
import io.tensorlink.cli.contracts.Preflight;
import io.tensorlink.cli.contracts.Sender;
import io.tensorlink.cli.contracts.TransactionCommand;
import io.tensorlink.cli.contracts.Transactions;
import io.tensorlink.cli.contracts.Uint256;
import io.tensorlink.cli.job.JobCommand;
import io.tensorlink.cli.support.Examples;
import io.tensorlink.cli.support.Units;
import io.tensorlink.contracts.ContractSuite;
import io.tensorlink.contracts.deploy.ChainInfo;
import io.tensorlink.contracts.pol.PayoutTree;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.web3j.tuples.generated.Tuple2;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tl-cli claim}: a worker's payout from an anchored block, once its challenge window has closed. */
@Command(name = "claim", mixinStandardHelpOptions = true, footerHeading = Examples.HEADING,
    footer = {"  tl-cli claim 1 --payouts block-0-payouts.json", "  tl-cli claim 1 --block 3 --payouts block-3-payouts.json --dry-run"},
    description = {"Claim your payout from an anchored PoL block of a job, after the block's challenge window.",
        "The chain stores only the block's payoutsRoot; the payout list itself is off-chain (the node keeps it), so it is"
            + " given with --payouts and the Merkle proof is built from it. The list must hash to the block's payoutsRoot."})
public final class ClaimCommand extends TransactionCommand {
  @Parameters(index = "0", paramLabel = "<job-id>", converter = Uint256.class, description = "The job id.")
  BigInteger jobId;

  @Option(names = "--block", paramLabel = "<index>", converter = BlockIndex.class,
      description = "The block to claim from (default: the anchored block whose payoutsRoot the --payouts file matches).")
  Long block;

  @Option(names = "--payouts", required = true, paramLabel = "<file.json>",
      description = "The block's payout leaves: {\"payouts\": [{\"worker\": \"0x…\", \"amount\": \"<wei>\"}, …]}.")
  Path payouts;

  @Override
  protected int run(final CliContext ctx, final ChainSession session, final ContractSuite s) {
    JobCommand.existing(s, jobId);
    final PayoutTree tree = PayoutFile.read("--payouts", payouts);
    final long index = block != null ? matching(s, tree, block) : find(s, tree);
    final BigInteger idx = BigInteger.valueOf(index);
    final String me = s.account();
    final BigInteger amount;
    try {
      amount = tree.amount(me);
    } catch (IllegalArgumentException e) {
      throw Preflight.refuse(Units.address(me) + " has no payout in " + payouts + " (block " + index + " of job " + jobId + ")");
    }
    final String what = "block " + index + " of job " + jobId;
    if (!Transactions.call("isAssigned", s.escrow().isAssigned(jobId, me))) {
      throw Preflight.refuse(Units.address(me) + " is not assigned to job " + jobId);
    }
    if (Transactions.call("isClaimed", s.escrow().isClaimed(jobId, idx, me))) {
      throw Preflight.refuse(Units.address(me) + " already claimed its payout from " + what);
    }
    if (Transactions.call("isVoided", s.escrow().isVoided(jobId, idx, me))) {
      throw Preflight.refuse("the payout of " + Units.address(me) + " from " + what + " was voided by a fraud verdict");
    }
    final BigInteger claimableAt = Transactions.call("claimableAt", s.escrow().claimableAt(jobId, idx));
    final BigInteger now = ChainInfo.latestBlock(session.web3j()).getTimestamp();
    if (now.compareTo(claimableAt) < 0) {
      throw Preflight.refuse(what + " is in its challenge window until " + Units.time(claimableAt) + " (chain time "
          + Units.time(now) + "); claim after that");
    }
    if (Transactions.call("hasOpenDispute", s.court().hasOpenDispute(jobId, idx, me))) {
      throw Preflight.refuse("a dispute over " + Units.address(me) + "'s records in " + what + " is open; claim after it is resolved");
    }
    final Tuple2<BigInteger, BigInteger> pool = Transactions.call("blockPayout", s.escrow().blockPayout(jobId, idx));
    final BigInteger remaining = pool.component1().subtract(pool.component2());
    if (amount.compareTo(remaining) > 0) {
      throw Preflight.refuse("the payout of " + Units.tl(amount) + " exceeds what is left in " + what + "'s pool ("
          + Units.tl(remaining) + ")");
    }
    Preflight.requireGasMoney(session, me);
    final Sender sender = sender(ctx, session, s);
    sender.send(List.of(new Sender.Step("claim", s.escrow().claim(jobId, idx, amount, tree.proof(me)),
        s.escrow().getContractAddress())), "claim " + Units.tl(amount) + " from " + what, true);
    if (!sender.dryRun()) {
      ctx.out().printf("claimed: %s from %s, balance: %s%n", Units.tl(amount), what,
          Units.tl(Transactions.call("balanceOf", s.token().balanceOf(me))));
    }
    return ExitCodes.OK;
  }

  /** {@code index}, after checking that the file's root is that block's payoutsRoot. */
  private long matching(final ContractSuite s, final PayoutTree tree, final long index) {
    final long anchored = PolCommand.head(s, jobId).component2().longValueExact();
    if (index >= anchored) {
      throw new CliException("--block " + index + ": job " + jobId + " has " + anchored + " anchored block"
          + (anchored == 1 ? "" : "s"), ExitCodes.USAGE);
    }
    PayoutFile.readFor("--payouts", payouts,
        Transactions.call("payoutsRoot", s.escrow().payoutsRoot(jobId, BigInteger.valueOf(index))), "block " + index);
    return index;
  }

  /** The latest anchored block whose payoutsRoot is the file's root. */
  private long find(final ContractSuite s, final PayoutTree tree) {
    final long anchored = PolCommand.head(s, jobId).component2().longValueExact();
    for (long i = anchored - 1; i >= 0; i--) {
      if (Arrays.equals(Transactions.call("payoutsRoot", s.escrow().payoutsRoot(jobId, BigInteger.valueOf(i))), tree.root())) {
        return i;
      }
    }
    throw new CliException("--payouts " + payouts + " hashes to " + PolCommand.hex(tree.root()) + ", the payoutsRoot of none of job "
        + jobId + "'s " + anchored + " anchored blocks", ExitCodes.USAGE);
  }
}
