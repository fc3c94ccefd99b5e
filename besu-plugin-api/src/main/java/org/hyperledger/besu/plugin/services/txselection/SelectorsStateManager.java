package org.hyperledger.besu.plugin.services.txselection;

/** Mirror: per-block selector state; the plugin only receives it as a parameter. */
public class SelectorsStateManager {}
