package io.tensorlink.monero.rpc;

/**
 * A failed Monero RPC call. The message names the method and the server's own words plus a hint; it
 * never contains request parameters (they may hold keys, multisig infos or passwords).
 */
public final class MoneroRpcException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String method;
  private final int code;
  private final MoneroErrorKind kind;

  public MoneroRpcException(final String method, final int code, final String serverMessage,
      final MoneroErrorKind kind, final Throwable cause) {
    super(describe(method, code, serverMessage, kind), cause);
    this.method = method;
    this.code = code;
    this.kind = kind;
  }

  private static String describe(final String method, final int code, final String serverMessage,
      final MoneroErrorKind kind) {
    final StringBuilder b = new StringBuilder(method).append(" failed");
    if (code != 0) {
      b.append(" (code ").append(code).append(')');
    }
    if (serverMessage != null && !serverMessage.isBlank()) {
      b.append(": ").append(serverMessage);
    }
    if (!kind.hint().isEmpty()) {
      b.append(" [").append(kind.hint()).append(']');
    }
    return b.toString();
  }

  public String method() {
    return method;
  }

  /** The JSON-RPC error code, 0 when the failure was not a JSON-RPC error (transport, HTTP status). */
  public int code() {
    return code;
  }

  public MoneroErrorKind kind() {
    return kind;
  }

  /** True when the connection was refused: the server never saw the call, so repeating it is safe. */
  public boolean neverReachedServer() {
    return kind == MoneroErrorKind.UNREACHABLE && getCause() instanceof java.net.ConnectException;
  }
}
