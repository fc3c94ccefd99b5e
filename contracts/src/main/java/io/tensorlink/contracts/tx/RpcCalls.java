package io.tensorlink.contracts.tx;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.Response;

/** Turns a JSON-RPC error answer into an exception naming the method. */
public final class RpcCalls {
  private RpcCalls() {}

  static <R extends Response<?>> R checked(final R response, final String method) {
    if (response.hasError()) {
      throw new RpcException(method + " failed: " + response.getError().getMessage() + " (code " + response.getError().getCode() + ")");
    }
    return response;
  }

  /**
   * Sends {@code request} for callers that cannot throw {@link IOException}: an error answer
   * becomes an {@link RpcException}, an unreachable node an {@link UncheckedIOException}.
   */
  public static <R extends Response<?>> R send(final Request<?, R> request, final String method) {
    try {
      return checked(request.send(), method);
    } catch (IOException e) {
      throw new UncheckedIOException(method + ": cannot reach the node: " + e.getMessage(), e);
    }
  }
}
