package org.hyperledger.besu.plugin.services.rpc;

/** Mirror: the code and message of a JSON-RPC error a plugin endpoint returns. */
public interface RpcMethodError {
  int getCode();

  String getMessage();
}
