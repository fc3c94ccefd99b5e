package io.tensorlink.p2p.pubsub;

import io.tensorlink.p2p.pubsub.rpc.Rpc;

/**
 * Sends one RPC to one peer. The router calls it on its own thread; an implementation frames and
 * writes the RPC without blocking (and may drop it when the peer cannot keep up).
 */
@FunctionalInterface
public interface RpcSender {
  void send(Rpc rpc);
}
