package org.hyperledger.besu.plugin.services;

/** Mirror of the marker interface of every Besu service. */
public interface BesuService {}
