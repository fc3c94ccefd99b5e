package io.tensorlink.chain.rpc;

/** A {@code tl_*} call that ends in a JSON-RPC error object (code and message) instead of a result. */
public final class TlRpcException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** JSON-RPC 2.0: the method does not exist. */
  public static final int METHOD_NOT_FOUND = -32601;
  /** JSON-RPC 2.0: invalid method parameters. */
  public static final int INVALID_PARAMS = -32602;
  /** Server-defined: the node cannot answer now (e.g. not started). */
  public static final int UNAVAILABLE = -32002;

  private final int code;

  public TlRpcException(final int code, final String message) {
    super(message);
    this.code = code;
  }

  public static TlRpcException invalidParams(final String message) {
    return new TlRpcException(INVALID_PARAMS, message);
  }

  public int code() {
    return code;
  }
}
