package io.tensorlink.p2p.host;


/** Connection lifecycle events; callbacks run on the connection's event loop, so keep them short. */
public interface ConnectionListener {
  /** A connection finished its handshake (Noise + yamux) and is ready for streams. */
  default void onConnected(final Connection connection) {}

  /** The peer's identify response arrived (after {@link #onConnected}). */
  default void onIdentified(final Connection connection, final IdentifyInfo info) {}

  /** The connection closed (for any reason). */
  default void onDisconnected(final Connection connection) {}
}
