package io.tensorlink.p2p.pubsub;

/**
 * A snapshot of a router's message counters.
 *
 * @param delivered messages accepted and handed to subscribers
 * @param duplicates messages dropped because their id was already seen
 * @param rejected messages that failed size, id, signature or validator checks
 * @param ignored messages a validator ignored
 * @param notSubscribed messages on topics we do not subscribe to (dropped, never relayed)
 * @param graylistedRpcs RPCs ignored because their sender was below the graylist threshold
 * @param seenCacheSize ids currently remembered
 * @param messageCacheSize messages currently retrievable by IWANT
 */
public record RouterStats(
    long delivered,
    long duplicates,
    long rejected,
    long ignored,
    long notSubscribed,
    long graylistedRpcs,
    int seenCacheSize,
    int messageCacheSize) {}
