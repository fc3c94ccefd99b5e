package org.hyperledger.besu.plugin.services;

import org.hyperledger.besu.plugin.data.AddedBlockContext;

/** Mirror of the part of Besu's event service the plugin uses: block-added listeners. */
public interface BesuEvents extends BesuService {
  long addBlockAddedListener(BlockAddedListener blockAddedListener);

  void removeBlockAddedListener(long listenerIdentifier);

  /** Mirror: called once per block imported into the canonical chain. */
  interface BlockAddedListener {
    void onBlockAdded(AddedBlockContext addedBlockContext);
  }
}
