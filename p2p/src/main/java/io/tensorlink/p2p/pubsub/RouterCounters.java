package io.tensorlink.p2p.pubsub;

/** Running totals of what the router did with inbound messages. Router-confined; read via {@link RouterStats}. */
final class RouterCounters {
  long delivered;
  long duplicates;
  long rejected;
  long ignored;
  long notSubscribed;
  long graylistedRpcs;

  RouterStats snapshot(final int seenCacheSize, final int messageCacheSize) {
    return new RouterStats(delivered, duplicates, rejected, ignored, notSubscribed, graylistedRpcs, seenCacheSize, messageCacheSize);
  }
}
