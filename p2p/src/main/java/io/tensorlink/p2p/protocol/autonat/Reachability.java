package io.tensorlink.p2p.protocol.autonat;

import io.tensorlink.p2p.multiaddr.Multiaddr;
import java.util.Optional;

/**
 * What AutoNAT concluded about us.
 *
 * @param status PUBLIC when enough servers dialled us back, PRIVATE when enough tried and failed
 *     (and none succeeded), UNKNOWN otherwise (refusals, bad answers and unreachable servers prove
 *     nothing either way)
 * @param dialedBack servers that reached us
 * @param failedToDial servers that tried and could not
 * @param inconclusive servers that refused, erred or did not answer
 * @param publicAddress an address a server reached us at, when PUBLIC
 */
public record Reachability(Status status, int dialedBack, int failedToDial, int inconclusive, Optional<Multiaddr> publicAddress) {
  public enum Status {
    PUBLIC,
    PRIVATE,
    UNKNOWN
  }
}
