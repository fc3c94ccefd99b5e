package io.tensorlink.chain.follow;

import java.util.List;
import java.util.Optional;

/**
 * Read access to the chain's suite events: a web3j poller ({@link SuiteChainEvents}) for the
 * standalone node, Besu's services inside the plugin.
 */
public interface ChainEvents {
  /** The latest block number. */
  long head();

  /** The hash of block {@code number}, or empty if the chain is shorter. */
  Optional<byte[]> blockHash(long number);

  /** The suite's events in blocks {@code from..to} inclusive, in chain order. */
  List<ChainEvent> events(long from, long to);
}
