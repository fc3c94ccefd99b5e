package io.tensorlink.contracts.tx;

/** The node answered a JSON-RPC request with an error that is not a revert. */
public final class RpcException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public RpcException(final String message) {
    super(message);
  }
}
