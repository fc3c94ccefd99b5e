package io.tensorlink.besu.host;

import io.tensorlink.besu.rules.OwnVerdicts;
import io.tensorlink.chain.rpc.TlNode;

/**
 * What the plugin runs inside Besu: the TensorLink node ({@link NodeHost}), with the chain state
 * the plugin follows through Besu's events. Kept as an interface so the plugin's lifecycle and
 * selector do not depend on how the node is put together.
 */
public interface ValidatorHost {
  /** Opens the data directory and keys and starts the node's services; throws when it cannot. */
  void start();

  /** What the {@code tl_*} methods read. */
  TlNode node();

  /** This node's own verdicts on PoL blocks, for the proposer-side selector. */
  OwnVerdicts verdicts();

  /** Stops everything {@link #start} started and releases the data directory; safe to call twice. */
  void stop();
}
