package io.tensorlink.p2p.yamux;

import io.tensorlink.p2p.host.HostConfig;
import io.tensorlink.p2p.util.MalformedInputException;

/**
 * One yamux stream's flow-control accounting: how much we may send (the peer's grants) and how
 * much the peer may still send us (our grants), plus the consumed bytes not yet returned to the
 * peer. Pure arithmetic; the stream decides when frames go out. Event-loop confined.
 */
final class StreamWindows {
  /**
   * A peer can grant at most a u32 window at a time; credit beyond twice that means it is adding
   * deltas without limit, which would eventually overflow our accounting.
   */
  private static final long MAX_SEND_WINDOW = 0xFFFF_FFFFL * 2;

  private final int streamId;
  /** Our receive window's size: the spec's 256 KiB plus whatever extra the session's budget granted. */
  private long maxRecv = HostConfig.YAMUX_INITIAL_WINDOW;
  private long send = HostConfig.YAMUX_INITIAL_WINDOW;
  private long recv = HostConfig.YAMUX_INITIAL_WINDOW;
  private long unreturned;

  StreamWindows(final int streamId) {
    this.streamId = streamId;
  }

  /** We grant the peer {@code extra} bytes beyond the initial window (sent with SYN/ACK). */
  void grow(final long extra) {
    maxRecv += extra;
    recv += extra;
  }

  /** Extra receive window beyond the initial one (returned to the session's budget on close). */
  long extra() {
    return maxRecv - HostConfig.YAMUX_INITIAL_WINDOW;
  }

  long recv() {
    return recv;
  }

  /** An inbound data frame of {@code length} bytes (already checked against {@link #recv()}). */
  void received(final long length) {
    recv -= length;
  }

  /** The peer's window update. */
  void credit(final long delta) {
    send += delta;
    if (send > MAX_SEND_WINDOW) {
      throw new MalformedInputException("yamux: stream " + streamId + " send window overflow");
    }
  }

  /** How many of {@code wanted} bytes may go out in one frame now. */
  int sendable(final int wanted, final int maxFrame) {
    return (int) Math.min(Math.min(wanted, send), maxFrame);
  }

  boolean canSend() {
    return send > 0;
  }

  void sent(final int n) {
    send -= n;
  }

  /**
   * The application consumed {@code n} bytes. Returns the window update to send now (0: not yet):
   * credit goes back in batches, once half the window is consumed or less than a quarter is left.
   */
  long consumed(final long n) {
    unreturned += n;
    if (unreturned > 0 && (unreturned >= maxRecv / 2 || recv < maxRecv / 4)) {
      final long delta = unreturned;
      recv += delta;
      unreturned = 0;
      return delta;
    }
    return 0;
  }
}
