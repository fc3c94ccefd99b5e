package io.tensorlink.contracts.tx;

import org.web3j.protocol.core.Response;

/** Turns a JSON-RPC error answer into an exception naming the method. */
final class RpcCalls {
  private RpcCalls() {}

  static <R extends Response<?>> R checked(final R response, final String method) {
    if (response.hasError()) {
      throw new RpcException(method + " failed: " + response.getError().getMessage() + " (code " + response.getError().getCode() + ")");
    }
    return response;
  }
}
