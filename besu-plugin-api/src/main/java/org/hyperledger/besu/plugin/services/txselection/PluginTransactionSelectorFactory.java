package org.hyperledger.besu.plugin.services.txselection;

/** Mirror: creates one selector per block being built. */
public interface PluginTransactionSelectorFactory {
  default PluginTransactionSelector create(final SelectorsStateManager selectorsStateManager) {
    return PluginTransactionSelector.ACCEPT_ALL;
  }
}
