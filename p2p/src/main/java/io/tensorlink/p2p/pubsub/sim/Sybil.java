package io.tensorlink.p2p.pubsub.sim;

import com.google.protobuf.ByteString;
import io.tensorlink.p2p.crypto.PrivKey;
import io.tensorlink.p2p.peer.PeerId;
import io.tensorlink.p2p.pubsub.StrictSign;
import io.tensorlink.p2p.pubsub.rpc.ControlGraft;
import io.tensorlink.p2p.pubsub.rpc.ControlIHave;
import io.tensorlink.p2p.pubsub.rpc.ControlIWant;
import io.tensorlink.p2p.pubsub.rpc.ControlMessage;
import io.tensorlink.p2p.pubsub.rpc.PubsubMessage;
import io.tensorlink.p2p.pubsub.rpc.Rpc;
import io.tensorlink.p2p.pubsub.rpc.SubOpts;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** A scripted attacker speaking the wire protocol: subscribes, then misbehaves per {@link Behaviour}. */
public final class Sybil implements SimNode {
  /** Messages with this data prefix fail the simulation's topic validator. */
  public static final String INVALID_PREFIX = "invalid:";
  private static final int SPAM_PER_HEARTBEAT = 5;
  private static final int BOGUS_IHAVE_IDS = 50;
  private static final int IWANT_REPEATS = 3;
  private static final int REMEMBERED_IDS = 100;

  private final GossipSimulation sim;
  private final StrictSign signer;
  private final Behaviour behaviour;
  private final String topic;
  private final Set<PeerId> peers = new LinkedHashSet<>();
  /** Real message ids seen in IHAVEs, replayed in IWANT spam. */
  private final List<ByteString> realIds = new ArrayList<>();
  private long seqno;
  private long bogus;

  Sybil(final GossipSimulation sim, final PrivKey key, final Behaviour behaviour, final String topic) {
    this.sim = sim;
    this.signer = new StrictSign(key);
    this.behaviour = behaviour;
    this.topic = topic;
  }

  @Override
  public PeerId id() {
    return signer.author();
  }

  @Override
  public void connected(final PeerId peer, final boolean outbound) {
    peers.add(peer);
    final boolean grafts = behaviour == Behaviour.CENSOR || behaviour == Behaviour.GRAFT_FLOOD;
    sim.send(id(), peer, new Rpc(List.of(new SubOpts(true, topic)), List.of(),
        grafts ? control(List.of(), List.of(), List.of(new ControlGraft(topic))) : ControlMessage.EMPTY));
  }

  @Override
  public void receive(final PeerId from, final Rpc rpc) {
    // Forwards nothing; only remembers advertised ids for IWANT spam.
    if (behaviour == Behaviour.GOSSIP_SPAM) {
      rpc.control().ihave().forEach(h -> realIds.addAll(h.messageIds()));
      if (realIds.size() > REMEMBERED_IDS) {
        realIds.subList(0, realIds.size() - REMEMBERED_IDS).clear();
      }
    }
  }

  @Override
  public void heartbeat() {
    final List<PubsubMessage> spam = new ArrayList<>();
    if (behaviour == Behaviour.SPAM_INVALID) {
      for (int i = 0; i < SPAM_PER_HEARTBEAT; i++) {
        spam.add(signer.sign(topic, ByteString.copyFromUtf8(INVALID_PREFIX + ++seqno), seqno));
      }
    }
    for (final PeerId peer : peers) {
      switch (behaviour) {
        case SPAM_INVALID -> sim.send(id(), peer, Rpc.ofMessages(spam));
        case CENSOR -> { }
        case GRAFT_FLOOD -> sim.send(id(), peer, Rpc.ofControl(control(List.of(), List.of(), List.of(new ControlGraft(topic)))));
        case GOSSIP_SPAM -> {
          final List<ByteString> fake = new ArrayList<>();
          for (int i = 0; i < BOGUS_IHAVE_IDS; i++) {
            fake.add(ByteString.copyFromUtf8("bogus-" + id().toBase58() + "-" + ++bogus));
          }
          final List<ByteString> wanted = new ArrayList<>();
          for (int r = 0; r < IWANT_REPEATS; r++) {
            wanted.addAll(realIds);
          }
          sim.send(id(), peer, Rpc.ofControl(control(
              List.of(new ControlIHave(topic, fake)),
              wanted.isEmpty() ? List.of() : List.of(new ControlIWant(wanted)),
              List.of())));
        }
      }
    }
  }

  private static ControlMessage control(
      final List<ControlIHave> ihave, final List<ControlIWant> iwant, final List<ControlGraft> graft) {
    return new ControlMessage(ihave, iwant, graft, List.of(), List.of());
  }
}
