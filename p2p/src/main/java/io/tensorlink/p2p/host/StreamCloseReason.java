package io.tensorlink.p2p.host;

/** Why a stream ended. */
public enum StreamCloseReason {
  /** Both sides sent FIN. */
  NORMAL,
  /** We reset the stream (or a local error did). */
  RESET_LOCAL,
  /** The peer sent RST. */
  RESET_REMOTE,
  /** The underlying connection closed first. */
  CONNECTION_CLOSED
}
