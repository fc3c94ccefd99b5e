package org.hyperledger.besu.plugin.services.exception;

import org.hyperledger.besu.plugin.services.rpc.RpcMethodError;

/** Mirror: thrown by a plugin endpoint to answer with a JSON-RPC error instead of a result. */
public class PluginRpcEndpointException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient RpcMethodError rpcMethodError;
  private final String data;

  public PluginRpcEndpointException(final RpcMethodError rpcMethodError) {
    this(rpcMethodError, null);
  }

  public PluginRpcEndpointException(final RpcMethodError rpcMethodError, final String data) {
    this(rpcMethodError, data, null);
  }

  public PluginRpcEndpointException(final RpcMethodError rpcMethodError, final String data, final Throwable cause) {
    super(rpcMethodError.getMessage(), cause);
    this.rpcMethodError = rpcMethodError;
    this.data = data;
  }

  public RpcMethodError getRpcMethodError() {
    return rpcMethodError;
  }

  public String getData() {
    return data;
  }
}
