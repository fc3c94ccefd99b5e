package io.tensorlink.besu.host;

import io.tensorlink.besu.anchor.AnchorState;
import io.tensorlink.besu.anchor.ChainLog;
import java.util.List;
import org.hyperledger.besu.plugin.data.AddedBlockContext;
import org.hyperledger.besu.plugin.data.BlockContext;
import org.hyperledger.besu.plugin.data.Log;
import org.hyperledger.besu.plugin.data.TransactionReceipt;
import org.hyperledger.besu.plugin.services.BlockchainService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds {@link AnchorState} every block of the chain exactly once and in order: at start it reads
 * the blocks Besu imported before (from the suite's deployment block, through BlockchainService),
 * then applies each block-added event with its receipts' logs, filling any gap first. So the
 * state after block n is the same on every node and after every restart, which the validation
 * rule depends on.
 */
public final class ChainFollower {
  private static final Logger LOG = LoggerFactory.getLogger(ChainFollower.class);

  private final AnchorState state;
  private final BlockchainService chain;
  private final long firstBlock;

  /**
   * @param firstBlock the first block that can hold suite logs (the deployment's first block; 0 if unknown)
   */
  public ChainFollower(final AnchorState state, final BlockchainService chain, final long firstBlock) {
    this.state = state;
    this.chain = chain;
    this.firstBlock = firstBlock;
  }

  /** Applies every block up to the current chain head that has not been applied yet. */
  public synchronized void catchUp() {
    final long head = chain.getChainHeadHeader().getNumber();
    final long from = next();
    for (long n = from; n <= head; n++) {
      final long number = n;
      final BlockContext block = chain.getBlockByNumber(number)
          .orElseThrow(() -> new IllegalStateException("Besu has no block " + number + " below its head " + head));
      final List<TransactionReceipt> receipts = chain.getReceiptsByBlockHash(block.getBlockHeader().getBlockHash())
          .orElseThrow(() -> new IllegalStateException("Besu has no receipts for block " + number + " (pruned? run with --sync-mode=FULL)"));
      apply(number, receipts);
    }
    if (head >= from) {
      LOG.info("TensorLink caught up on blocks {}..{}", from, head);
    }
  }

  /** One block-added event: blocks already applied are skipped, missing ones are read first. */
  public synchronized void onBlockAdded(final AddedBlockContext block) {
    final long number = block.getBlockHeader().getNumber();
    if (number < next()) {
      LOG.warn("TensorLink ignores block {} again (already applied up to {}); QBFT should not reorganise", number, next() - 1);
      return;
    }
    if (number > next()) {
      catchUpTo(number - 1);
    }
    apply(number, block.getTransactionReceipts());
  }

  private void catchUpTo(final long last) {
    for (long n = next(); n <= last; n++) {
      final long number = n;
      final BlockContext block = chain.getBlockByNumber(number).orElseThrow(() -> new IllegalStateException("Besu has no block " + number));
      apply(number, chain.getReceiptsByBlockHash(block.getBlockHeader().getBlockHash()).orElseThrow(
          () -> new IllegalStateException("Besu has no receipts for block " + number)));
    }
  }

  private long next() {
    return Math.max(firstBlock, state.headBlock() + 1);
  }

  private void apply(final long number, final List<? extends TransactionReceipt> receipts) {
    for (TransactionReceipt receipt : receipts) {
      for (Log log : receipt.getLogs()) {
        final List<String> topics = log.getTopics().stream().map(String::valueOf).toList();
        state.apply(new ChainLog(String.valueOf(log.getLogger()), topics, log.getData().toHexString(), number));
      }
    }
    state.onBlock(number);
  }
}
