package org.hyperledger.besu.plugin.services.rpc;

/** Mirror: the parameters of a JSON-RPC call routed to a plugin endpoint. */
public interface PluginRpcRequest {
  Object[] getParams();
}
