package org.hyperledger.besu.plugin.services;

import java.util.List;
import org.hyperledger.besu.datatypes.Address;
import org.hyperledger.besu.plugin.data.AddedBlockContext;
import org.hyperledger.besu.plugin.data.LogWithMetadata;

/**
 * Mirror of the part of Besu's event service the plugin uses: block-added and log listeners. The
 * topic filter's element type is left as {@code Object}: the plugin passes an empty filter and the
 * erased signature is what links.
 */
public interface BesuEvents extends BesuService {
  long addBlockAddedListener(BlockAddedListener blockAddedListener);

  void removeBlockAddedListener(long listenerIdentifier);

  long addLogListener(List<Address> addresses, List<? extends List<?>> topics, LogListener logListener);

  void removeLogListener(long listenerIdentifier);

  /** Mirror: called once per block imported into the canonical chain. */
  interface BlockAddedListener {
    void onBlockAdded(AddedBlockContext addedBlockContext);
  }

  /** Mirror: called for every log (added or removed) matching a filter. */
  interface LogListener {
    void onLogEmitted(LogWithMetadata logWithMetadata);
  }
}
