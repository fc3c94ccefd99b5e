package io.tensorlink.p2p.host;

/**
 * Accepts inbound streams for one protocol id. Called on the connection's event loop after the
 * protocol was agreed; typically sets a {@link StreamListener} and returns.
 */
@FunctionalInterface
public interface StreamHandler {
  void handle(Stream stream);
}
