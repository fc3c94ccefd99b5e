package io.tensorlink.p2p.pubsub;

import java.util.List;

/** The gossipsub protocol ids and what each version adds. */
public final class GossipProtocol {
  public static final String MESHSUB_V10 = "/meshsub/1.0.0";
  /** v1.1: PRUNE backoff, peer exchange, flood publishing, outbound mesh quota. */
  public static final String MESHSUB_V11 = "/meshsub/1.1.0";
  /** v1.2: IDONTWANT. */
  public static final String MESHSUB_V12 = "/meshsub/1.2.0";

  /** In order of preference, for multistream-select. */
  public static final List<String> ALL = List.of(MESHSUB_V12, MESHSUB_V11, MESHSUB_V10);

  private GossipProtocol() {}

  static boolean supportsBackoff(final String protocol) {
    return !MESHSUB_V10.equals(protocol);
  }

  static boolean supportsIDontWant(final String protocol) {
    return MESHSUB_V12.equals(protocol);
  }
}
