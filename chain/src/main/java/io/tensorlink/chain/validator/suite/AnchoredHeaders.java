package io.tensorlink.chain.validator.suite;

import io.tensorlink.chain.store.BlockKey;
import io.tensorlink.contracts.generated.PoLAnchor;
import io.tensorlink.contracts.pol.PoLBlocks;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.web3j.abi.EventEncoder;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.DefaultBlockParameterNumber;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.utils.Numeric;

/**
 * Anchored headers with their signer lists, read back from the anchoring transaction's events: the
 * anchor stores only a commitment per block, so {@code BlockAnchored} (roots, signers) and
 * {@code BlockCommitted} (randomness) are where the header the court checks is public.
 */
public final class AnchoredHeaders {
  private static final String ANCHORED = EventEncoder.encode(PoLAnchor.BLOCKANCHORED_EVENT);
  private static final String COMMITTED = EventEncoder.encode(PoLAnchor.BLOCKCOMMITTED_EVENT);

  /**
   * A header as anchored, the signers the anchor accepted (ascending), and the anchoring transaction
   * with the chain block it was mined in.
   */
  public record Anchored(PoLAnchor.PoLBlock header, List<String> signers, long anchoredIn, String transactionHash) {}

  private final Web3j web3j;
  private final String anchor;
  private final long startBlock;

  public AnchoredHeaders(final Web3j web3j, final String anchor, final long startBlock) {
    this.web3j = web3j;
    this.anchor = anchor;
    this.startBlock = startBlock;
  }

  /**
   * The header anchored for {@code block} under {@code blockHash}, searching chain block
   * {@code anchoredIn} (or the whole deployment when it is 0).
   */
  public Optional<Anchored> find(final BlockKey block, final byte[] blockHash, final long anchoredIn) {
    final EthFilter filter = new EthFilter(new DefaultBlockParameterNumber(anchoredIn > 0 ? anchoredIn : startBlock),
        anchoredIn > 0 ? new DefaultBlockParameterNumber(anchoredIn) : DefaultBlockParameterName.LATEST, anchor);
    filter.addOptionalTopics(ANCHORED, COMMITTED);
    filter.addSingleTopic(Numeric.toHexStringWithPrefixZeroPadded(block.jobId(), 64));
    filter.addSingleTopic(Numeric.toHexStringWithPrefixZeroPadded(BigInteger.valueOf(block.index()), 64));
    final EthLog answer;
    try {
      answer = web3j.ethGetLogs(filter).send();
    } catch (IOException e) {
      throw new UncheckedIOException("eth_getLogs for block " + block.index() + " of job " + block.jobId() + " failed", e);
    }
    if (answer.hasError()) {
      throw new IllegalStateException("eth_getLogs: " + answer.getError().getMessage());
    }
    PoLAnchor.BlockAnchoredEventResponse anchored = null;
    PoLAnchor.BlockCommittedEventResponse committed = null;
    for (final EthLog.LogResult<?> result : answer.getLogs()) {
      final Log log = (Log) result.get();
      if (ANCHORED.equalsIgnoreCase(log.getTopics().get(0))) {
        final PoLAnchor.BlockAnchoredEventResponse a = PoLAnchor.getBlockAnchoredEventFromLog(log);
        if (Arrays.equals(a.blockHash, blockHash)) {
          anchored = a;
        }
      } else {
        committed = PoLAnchor.getBlockCommittedEventFromLog(log);
      }
    }
    if (anchored == null || committed == null) {
      return Optional.empty();
    }
    final PoLAnchor.PoLBlock header = header(anchored, committed);
    if (!Arrays.equals(PoLBlocks.hash(header), blockHash)) {
      throw new IllegalStateException("the events of block " + block.index() + " of job " + block.jobId()
          + " rebuild a header whose hash is not " + Numeric.toHexString(blockHash));
    }
    return Optional.of(new Anchored(header, List.copyOf(anchored.signers), anchored.log.getBlockNumber().longValueExact(),
        anchored.log.getTransactionHash()));
  }

  /**
   * The header as signed, rebuilt from one anchoring transaction's {@code BlockAnchored} (roots) and
   * {@code BlockCommitted} (randomness) events for the same block.
   */
  public static PoLAnchor.PoLBlock header(final PoLAnchor.BlockAnchoredEventResponse a,
      final PoLAnchor.BlockCommittedEventResponse c) {
    return new PoLAnchor.PoLBlock(a.jobId, a.index, a.parent, a.stepFrom, a.stepTo, a.stepsRoot, a.payoutsRoot,
        a.checkpointRoot, c.randomness, c.randomnessBlock);
  }
}
