package org.hyperledger.besu.plugin.services.exception;

import org.hyperledger.besu.plugin.services.rpc.RpcMethodError;

/** Mirror: thrown by a plugin endpoint to answer with a JSON-RPC error instead of a result. */
public class PluginRpcEndpointException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient RpcMethodError rpcMethodError;

  public PluginRpcEndpointException(final RpcMethodError rpcMethodError) {
    super(rpcMethodError.getMessage());
    this.rpcMethodError = rpcMethodError;
  }

  public RpcMethodError getRpcMethodError() {
    return rpcMethodError;
  }
}
