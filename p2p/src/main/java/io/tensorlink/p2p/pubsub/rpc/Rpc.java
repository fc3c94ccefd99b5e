package io.tensorlink.p2p.pubsub.rpc;

import java.util.List;
import java.util.Objects;

/** One pubsub RPC: {@code RPC{subscriptions=1, publish=2, control=3}}. Immutable. */
public record Rpc(List<SubOpts> subscriptions, List<PubsubMessage> messages, ControlMessage control) {
  public static final Rpc EMPTY = new Rpc(List.of(), List.of(), ControlMessage.EMPTY);

  public Rpc {
    subscriptions = List.copyOf(subscriptions);
    messages = List.copyOf(messages);
    Objects.requireNonNull(control, "control");
  }

  public static Rpc ofMessages(final List<PubsubMessage> messages) {
    return new Rpc(List.of(), messages, ControlMessage.EMPTY);
  }

  public static Rpc ofSubscriptions(final List<SubOpts> subscriptions) {
    return new Rpc(subscriptions, List.of(), ControlMessage.EMPTY);
  }

  public static Rpc ofControl(final ControlMessage control) {
    return new Rpc(List.of(), List.of(), control);
  }

  public boolean isEmpty() {
    return subscriptions.isEmpty() && messages.isEmpty() && control.isEmpty();
  }
}
