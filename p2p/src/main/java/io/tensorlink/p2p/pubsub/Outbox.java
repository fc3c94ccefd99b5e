package io.tensorlink.p2p.pubsub;

import io.tensorlink.p2p.pubsub.rpc.ControlGraft;
import io.tensorlink.p2p.pubsub.rpc.ControlIDontWant;
import io.tensorlink.p2p.pubsub.rpc.ControlIHave;
import io.tensorlink.p2p.pubsub.rpc.ControlIWant;
import io.tensorlink.p2p.pubsub.rpc.ControlMessage;
import io.tensorlink.p2p.pubsub.rpc.ControlPrune;
import io.tensorlink.p2p.pubsub.rpc.PubsubMessage;
import io.tensorlink.p2p.pubsub.rpc.Rpc;
import io.tensorlink.p2p.pubsub.rpc.RpcCodec;
import io.tensorlink.p2p.pubsub.rpc.SubOpts;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything the router wants to tell one peer during one step, so that a step sends at most a few
 * RPCs per peer. {@link #drain(int)} splits what does not fit into {@code maxRpcSize}.
 */
final class Outbox {
  final List<SubOpts> subscriptions = new ArrayList<>();
  final List<PubsubMessage> messages = new ArrayList<>();
  final List<ControlIHave> ihave = new ArrayList<>();
  final List<ControlIWant> iwant = new ArrayList<>();
  final List<ControlGraft> graft = new ArrayList<>();
  final List<ControlPrune> prune = new ArrayList<>();
  final List<ControlIDontWant> idontwant = new ArrayList<>();

  /** The RPCs to send, each at most {@code maxRpcSize} bytes (given that every message fits alone). */
  List<Rpc> drain(final int maxRpcSize) {
    final ControlMessage control = new ControlMessage(ihave, iwant, graft, prune, idontwant);
    final Rpc whole = new Rpc(subscriptions, messages, control);
    if (RpcCodec.encodedSize(whole) <= maxRpcSize) {
      return whole.isEmpty() ? List.of() : List.of(whole);
    }
    final List<Rpc> out = new ArrayList<>();
    final Rpc head = new Rpc(subscriptions, List.of(), control);
    if (!head.isEmpty()) {
      out.add(head);
    }
    List<PubsubMessage> batch = new ArrayList<>();
    int batchSize = 0;
    for (final PubsubMessage m : messages) {
      final int size = m.raw().size() + 8;
      if (!batch.isEmpty() && batchSize + size > maxRpcSize) {
        out.add(Rpc.ofMessages(batch));
        batch = new ArrayList<>();
        batchSize = 0;
      }
      batch.add(m);
      batchSize += size;
    }
    if (!batch.isEmpty()) {
      out.add(Rpc.ofMessages(batch));
    }
    return out;
  }
}
