package org.hyperledger.besu.plugin.services.rpc;

import java.util.Optional;

/** Mirror: the code and message of a JSON-RPC error a plugin endpoint returns. */
public interface RpcMethodError {
  int INVALID_PARAMS_ERROR_CODE = -32602;

  int getCode();

  String getMessage();

  default Optional<String> decodeData(final String data) {
    return Optional.empty();
  }
}
