package io.tensorlink.besu.host;

import io.tensorlink.chain.follow.ChainEvent;
import io.tensorlink.chain.follow.ChainEvents;
import io.tensorlink.chain.follow.SuiteChainEvents;
import io.tensorlink.contracts.deploy.Deployment;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.hyperledger.besu.plugin.data.BlockContext;
import org.hyperledger.besu.plugin.data.Log;
import org.hyperledger.besu.plugin.data.TransactionReceipt;
import org.hyperledger.besu.plugin.services.BlockchainService;
import org.web3j.utils.Numeric;

/**
 * The validator's chain events read from Besu's own blocks and receipts ({@link BlockchainService})
 * instead of {@code eth_getLogs}: the suite's logs of each block in chain order, decoded exactly as
 * the standalone node decodes them ({@link SuiteChainEvents#decode}). The validator library polls
 * this with its own cursor in the store, so a restart resumes where it stopped.
 */
public final class BesuChainEvents implements ChainEvents {
  private final BlockchainService chain;
  private final Set<String> addresses;

  public BesuChainEvents(final BlockchainService chain, final Deployment deployment) {
    this.chain = chain;
    this.addresses = SuiteChainEvents.addresses(deployment).stream().map(a -> a.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
  }

  @Override
  public long head() {
    return chain.getChainHeadHeader().getNumber();
  }

  @Override
  public Optional<byte[]> blockHash(final long number) {
    return chain.getBlockByNumber(number).map(b -> b.getBlockHeader().getBlockHash().toArray());
  }

  @Override
  public List<ChainEvent> events(final long from, final long to) {
    final List<ChainEvent> out = new ArrayList<>();
    for (long n = from; n <= to; n++) {
      final long number = n;
      final BlockContext block = chain.getBlockByNumber(number)
          .orElseThrow(() -> new IllegalStateException("Besu has no block " + number));
      final List<TransactionReceipt> receipts = chain.getReceiptsByBlockHash(block.getBlockHeader().getBlockHash())
          .orElseThrow(() -> new IllegalStateException("Besu has no receipts for block " + number + " (pruned? run with --sync-mode=FULL)"));
      for (TransactionReceipt receipt : receipts) {
        for (Log log : receipt.getLogs()) {
          if (addresses.contains(String.valueOf(log.getLogger()).toLowerCase(Locale.ROOT))) {
            SuiteChainEvents.decode(web3jLog(log, number)).ifPresent(out::add);
          }
        }
      }
    }
    return out;
  }

  private static org.web3j.protocol.core.methods.response.Log web3jLog(final Log log, final long number) {
    final org.web3j.protocol.core.methods.response.Log out = new org.web3j.protocol.core.methods.response.Log();
    out.setAddress(String.valueOf(log.getLogger()));
    out.setTopics(log.getTopics().stream().map(String::valueOf).toList());
    out.setData(log.getData().toHexString());
    out.setBlockNumber(Numeric.encodeQuantity(java.math.BigInteger.valueOf(number)));
    return out;
  }
}
