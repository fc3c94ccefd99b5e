package io.tensorlink.cli.pol;

import io.tensorlink.chain.validator.suite.AnchoredHeaders;
import io.tensorlink.cli.CliException;
import io.tensorlink.cli.ExitCodes;
import io.tensorlink.cli.contracts.ChainSession;
import io.tensorlink.contracts.ContractSuite;
import io.tensorlink.contracts.generated.PoLAnchor;
import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.web3j.abi.EventEncoder;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.DefaultBlockParameterNumber;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.utils.Numeric;

/**
 * The anchored blocks of a job, read from the PoLAnchor's events since the deployment's start
 * block: {@code BlockAnchored} carries the header's roots and the signers, {@code BlockCommitted}
 * (same transaction) its randomness. The anchor itself stores only a commitment per block, so the
 * events are the only place the full header is public.
 */
public final class AnchoredBlocks {
  private static final String ANCHORED = EventEncoder.encode(PoLAnchor.BLOCKANCHORED_EVENT);
  private static final String COMMITTED = EventEncoder.encode(PoLAnchor.BLOCKCOMMITTED_EVENT);

  private AnchoredBlocks() {}

  /** Every anchored block of {@code jobId}, by index. */
  public static List<AnchoredBlock> of(final ChainSession session, final ContractSuite s, final BigInteger jobId) {
    return read(session, s, jobId, null);
  }

  /** Block {@code index} of {@code jobId}, or a one-line error saying how many the job has. */
  public static AnchoredBlock one(final ChainSession session, final ContractSuite s, final BigInteger jobId, final long index) {
    final List<AnchoredBlock> found = read(session, s, jobId, index);
    if (found.isEmpty()) {
      final long count = PolCommand.head(s, jobId).component2().longValueExact();
      throw new CliException("job " + jobId + " has no anchored block " + index + " (" + count + " anchored"
          + (count == 0 ? "" : ", indices 0.." + (count - 1)) + ")");
    }
    return found.get(0);
  }

  private static List<AnchoredBlock> read(final ChainSession session, final ContractSuite s, final BigInteger jobId,
      final Long index) {
    final EthFilter filter = new EthFilter(new DefaultBlockParameterNumber(s.deployment().startBlock()),
        DefaultBlockParameterName.LATEST, s.anchor().getContractAddress());
    filter.addOptionalTopics(ANCHORED, COMMITTED);
    filter.addSingleTopic(Numeric.toHexStringWithPrefixZeroPadded(jobId, 64));
    if (index != null) {
      filter.addSingleTopic(Numeric.toHexStringWithPrefixZeroPadded(BigInteger.valueOf(index), 64));
    }
    final Map<String, PoLAnchor.BlockCommittedEventResponse> committed = new HashMap<>();
    final List<PoLAnchor.BlockAnchoredEventResponse> anchored = new ArrayList<>();
    for (final Log log : Logs.get(session, filter)) {
      if (ANCHORED.equalsIgnoreCase(log.getTopics().get(0))) {
        anchored.add(PoLAnchor.getBlockAnchoredEventFromLog(log));
      } else {
        final PoLAnchor.BlockCommittedEventResponse c = PoLAnchor.getBlockCommittedEventFromLog(log);
        committed.put(log.getTransactionHash() + "/" + c.index, c);
      }
    }
    final Map<Long, Long> times = new HashMap<>();
    final List<AnchoredBlock> blocks = new ArrayList<>();
    for (final PoLAnchor.BlockAnchoredEventResponse a : anchored) {
      final String tx = a.log.getTransactionHash();
      final PoLAnchor.BlockCommittedEventResponse c = committed.get(tx + "/" + a.index);
      if (c == null) {
        throw new CliException("block " + a.index + " of job " + jobId + " (tx " + tx + ") has no BlockCommitted event:"
            + " is the recorded PoLAnchor a v2 contract?");
      }
      final PoLAnchor.PoLBlock header = AnchoredHeaders.header(a, c);
      final long chainBlock = a.log.getBlockNumber().longValueExact();
      final long at = times.computeIfAbsent(chainBlock, n -> timestamp(session, n));
      blocks.add(new AnchoredBlock(header, a.blockHash, a.signers, a.signedStake, a.totalStake, tx, chainBlock, at));
    }
    blocks.sort(Comparator.comparingLong(AnchoredBlock::index));
    return blocks;
  }

  private static long timestamp(final ChainSession session, final long chainBlock) {
    try {
      return session.web3j().ethGetBlockByNumber(new DefaultBlockParameterNumber(chainBlock), false).send().getBlock()
          .getTimestamp().longValueExact();
    } catch (IOException e) {
      throw new CliException("eth_getBlockByNumber " + chainBlock + " failed: " + e.getMessage(), ExitCodes.NOT_RUNNING, e);
    }
  }
}
