package io.tensorlink.p2p.pubsub;

import com.google.protobuf.ByteString;
import io.tensorlink.p2p.crypto.PrivKey;
import io.tensorlink.p2p.peer.PeerId;
import io.tensorlink.p2p.record.SignedPeerRecord;
import io.tensorlink.p2p.pubsub.rpc.ControlGraft;
import io.tensorlink.p2p.pubsub.rpc.ControlIDontWant;
import io.tensorlink.p2p.pubsub.rpc.ControlIHave;
import io.tensorlink.p2p.pubsub.rpc.ControlIWant;
import io.tensorlink.p2p.pubsub.rpc.ControlMessage;
import io.tensorlink.p2p.pubsub.rpc.ControlPrune;
import io.tensorlink.p2p.pubsub.rpc.PeerInfo;
import io.tensorlink.p2p.pubsub.rpc.PubsubMessage;
import io.tensorlink.p2p.pubsub.rpc.Rpc;
import io.tensorlink.p2p.pubsub.rpc.SubOpts;
import io.tensorlink.p2p.pubsub.score.PeerScore;
import io.tensorlink.p2p.pubsub.score.PeerScoreThresholds;
import io.tensorlink.p2p.pubsub.score.ScoreBreakdown;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gossipsub v1.1 router (libp2p/specs {@code pubsub/gossipsub/gossipsub-v1.0.md}, {@code
 * -v1.1.md}, and v1.2's IDONTWANT): mesh and fanout per topic, the heartbeat, IHAVE/IWANT gossip,
 * GRAFT/PRUNE with backoff, the message and seen caches, StrictSign and topic validation, and the
 * v1.1 hardening: peer scoring ({@link PeerScore}) with its thresholds, gossip promises, backoff
 * penalties, score-aware mesh maintenance with opportunistic grafting, flood publishing, direct
 * peers, and peer exchange on PRUNE.
 *
 * <p>It knows nothing of streams: peers are {@link RpcSender}s, input arrives through {@link
 * #handleRpc}, and time and randomness are injected, so tests drive it step by step. Not
 * thread-safe: every method must be called from one thread (the {@link Gossipsub} service uses a
 * single-threaded executor). See {@code docs/gossipsub.md}.
 */
public final class GossipRouter {
  private static final Logger LOG = LoggerFactory.getLogger(GossipRouter.class);
  private static final int MAX_CACHED_AUTHORS = 4096;

  private final GossipsubConfig config;
  private final StrictSign signer;
  private final PeerId self;
  private final LongSupplier nanoClock;
  private final Random random;
  private final Consumer<ReceivedMessage> delivery;

  private final Map<PeerId, PeerState> peers = new LinkedHashMap<>();
  private final Set<String> subscriptions = new LinkedHashSet<>();
  private final Map<String, Set<PeerId>> mesh = new LinkedHashMap<>();
  private final Map<String, Set<PeerId>> fanout = new LinkedHashMap<>();
  private final Map<String, Long> fanoutLastPublish = new HashMap<>();
  /** No GRAFT either way before {@code until}; {@code since} is when the backoff was last set. */
  private record Backoff(long since, long until) {}

  private final Map<String, Map<PeerId, Backoff>> backoff = new HashMap<>();
  private final Map<String, TopicValidator> validators = new HashMap<>();
  private final SeenCache seen;
  private final MessageCache mcache;
  private final Map<PeerId, Outbox> outboxes = new LinkedHashMap<>();
  private final RouterCounters counters = new RouterCounters();
  private final PeerScore score;
  private final PeerScoreThresholds thresholds;
  private final GossipPromises promises;
  /** Peers last seen below the graylist threshold (to report crossings once). */
  private final Set<PeerId> graylisted = new HashSet<>();
  private Consumer<ScoreEvent> scoreEvents = e -> {};
  private Consumer<List<ExchangedPeer>> peerExchange = px -> {};
  private Function<PeerId, Optional<SignedPeerRecord>> peerRecords = p -> Optional.empty();
  /** Parsed author IDs by {@code from} bytes: parsing decodes the key, and authors repeat. */
  private final Map<ByteString, PeerId> authors =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(final Map.Entry<ByteString, PeerId> eldest) {
          return size() > MAX_CACHED_AUTHORS;
        }
      };
  private long seqno;
  private long heartbeats;

  /**
   * @param identity signs our messages (StrictSign); our peer ID derives from it
   * @param nanoClock monotonic time in nanoseconds ({@code System::nanoTime} in production)
   * @param random picks mesh and gossip peers (seeded in tests for reproducible runs)
   * @param delivery receives every accepted message on a topic we subscribe to, on the router thread
   */
  public GossipRouter(
      final PrivKey identity,
      final GossipsubConfig config,
      final LongSupplier nanoClock,
      final Random random,
      final Consumer<ReceivedMessage> delivery) {
    this.config = config;
    this.signer = new StrictSign(identity);
    this.self = signer.author();
    this.nanoClock = nanoClock;
    this.random = random;
    this.delivery = delivery;
    this.seen = new SeenCache(config.seenTtl(), nanoClock);
    this.mcache = new MessageCache(config.mcacheGossip(), config.mcacheLength());
    this.score = new PeerScore(config.scoreParams(), nanoClock, config.seenTtl());
    this.thresholds = config.scoreThresholds();
    this.promises = new GossipPromises(config.iwantFollowupTime().toNanos(), random);
    // Like go and js: start from wall-clock nanoseconds so seqnos keep increasing across restarts.
    this.seqno = System.currentTimeMillis() * 1_000_000L;
  }

  public PeerId self() {
    return self;
  }

  // ------------------------------------------------------------------------------ peers

  /**
   * A peer we can now send to. We announce our subscriptions to it at once.
   *
   * @param protocol the negotiated {@code /meshsub/…} id (decides v1.1/v1.2 features)
   * @param outbound whether we dialed the connection (counts towards {@code dOut})
   */
  public void addPeer(final PeerId peer, final String protocol, final boolean outbound, final RpcSender sender) {
    addPeer(peer, protocol, outbound, sender, Optional.empty());
  }

  /**
   * As {@link #addPeer(PeerId, String, boolean, RpcSender)}, with the peer's IP address (text, as
   * {@code InetAddress.getHostAddress()} writes it) for the IP-colocation score P₆.
   */
  public void addPeer(
      final PeerId peer, final String protocol, final boolean outbound, final RpcSender sender, final Optional<String> ip) {
    if (peers.containsKey(peer)) {
      removePeer(peer);
    }
    peers.put(peer, new PeerState(protocol, outbound, sender));
    score.addPeer(peer, ip);
    if (!subscriptions.isEmpty()) {
      final Outbox out = outbox(peer);
      subscriptions.forEach(t -> out.subscriptions.add(new SubOpts(true, t)));
    }
    flush();
  }

  /** The peer disconnected: forget it everywhere except in backoff (it may come back too soon). */
  public void removePeer(final PeerId peer) {
    if (peers.remove(peer) == null) {
      return;
    }
    mesh.values().forEach(s -> s.remove(peer));
    fanout.values().forEach(s -> s.remove(peer));
    outboxes.remove(peer);
    score.removePeer(peer);
    graylisted.remove(peer);
  }

  public Set<PeerId> peers() {
    return Set.copyOf(peers.keySet());
  }

  public boolean hasPeer(final PeerId peer) {
    return peers.containsKey(peer);
  }

  // ------------------------------------------------------------------------------ local API

  public void subscribe(final String topic) {
    if (!subscriptions.add(topic)) {
      return;
    }
    peers.keySet().forEach(p -> outbox(p).subscriptions.add(new SubOpts(true, topic)));
    // Join: reuse fanout peers, then fill up to D with subscribers not in backoff.
    final Set<PeerId> members = new LinkedHashSet<>(fanout.getOrDefault(topic, Set.of()));
    fanout.remove(topic);
    fanoutLastPublish.remove(topic);
    if (members.size() < config.d()) {
      members.addAll(pickPreferringPositive(graftCandidates(topic, members), config.d() - members.size()));
    }
    members.removeIf(p -> score(p) < 0 || isDirect(p));
    mesh.put(topic, new LinkedHashSet<>());
    members.forEach(p -> graft(p, topic, mesh.get(topic)));
    flush();
  }

  public void unsubscribe(final String topic) {
    if (!subscriptions.remove(topic)) {
      return;
    }
    peers.keySet().forEach(p -> outbox(p).subscriptions.add(new SubOpts(false, topic)));
    final Set<PeerId> members = mesh.remove(topic);
    if (members != null) {
      for (final PeerId p : members) {
        score.prune(p, topic);
        prune(p, topic, config.unsubscribeBackoff(), true);
      }
    }
    flush();
  }

  public Set<String> subscriptions() {
    return Set.copyOf(subscriptions);
  }

  public void setValidator(final String topic, final TopicValidator validator) {
    validators.put(topic, validator);
  }

  public void removeValidator(final String topic) {
    validators.remove(topic);
  }

  /**
   * Signs and sends a message. We do not deliver our own messages to ourselves.
   *
   * @throws IllegalArgumentException when {@code data} exceeds {@code maxMessageSize}
   */
  public PublishResult publish(final String topic, final ByteString data) {
    if (data.size() > config.maxMessageSize()) {
      throw new IllegalArgumentException(
          "message of " + data.size() + " bytes exceeds maxMessageSize " + config.maxMessageSize());
    }
    final PubsubMessage message = signer.sign(topic, data, ++seqno);
    final ByteString id = config.messageIdFunction().messageId(message);
    seen.add(id);
    mcache.put(id, message);
    final Set<PeerId> recipients = publishRecipients(topic);
    recipients.forEach(p -> outbox(p).messages.add(message));
    flush();
    return new PublishResult(id, recipients.size());
  }

  /** Flood publishing: every subscriber above the publish threshold; else mesh or fanout. Direct peers always. */
  private Set<PeerId> publishRecipients(final String topic) {
    final Set<PeerId> recipients = directSubscribersOf(topic);
    if (config.floodPublish()) {
      subscribersOf(topic).stream().filter(p -> score(p) >= thresholds.publish()).forEach(recipients::add);
      return recipients;
    }
    if (subscriptions.contains(topic)) {
      recipients.addAll(mesh.getOrDefault(topic, Set.of()));
      return recipients;
    }
    final Set<PeerId> fan = fanout.computeIfAbsent(topic, t -> new LinkedHashSet<>());
    refillFanout(topic, fan);
    fanoutLastPublish.put(topic, nanoClock.getAsLong());
    recipients.addAll(fan);
    return recipients;
  }

  private void refillFanout(final String topic, final Set<PeerId> fan) {
    if (fan.size() < config.d()) {
      final List<PeerId> candidates = subscribersOf(topic).stream()
          .filter(p -> !fan.contains(p) && !isDirect(p) && score(p) >= thresholds.publish())
          .toList();
      fan.addAll(pick(candidates, config.d() - fan.size()));
    }
  }

  // ------------------------------------------------------------------------------ inbound

  /** Processes one RPC from {@code from}; RPCs from peers not added are dropped. */
  public void handleRpc(final PeerId from, final Rpc rpc) {
    final PeerState peer = peers.get(from);
    if (peer == null) {
      LOG.debug("dropping RPC from {}: not a gossipsub peer (yet)", from);
      return;
    }
    if (!isDirect(from) && score(from) < thresholds.graylist()) {
      counters.graylistedRpcs++;
      noteGraylist(from);
      return;
    }
    for (final SubOpts sub : rpc.subscriptions()) {
      handleSubscription(from, peer, sub);
    }
    for (final PubsubMessage message : rpc.messages()) {
      handleMessage(from, message);
    }
    handleControl(from, peer, rpc.control());
    flush();
  }

  private void handleSubscription(final PeerId from, final PeerState peer, final SubOpts sub) {
    if (sub.subscribe()) {
      peer.topics.add(sub.topic());
      return;
    }
    peer.topics.remove(sub.topic());
    leaveMesh(from, sub.topic());
    Optional.ofNullable(fanout.get(sub.topic())).ifPresent(s -> s.remove(from));
  }

  private void handleMessage(final PeerId from, final PubsubMessage message) {
    final String topic = message.topic();
    if (!subscriptions.contains(topic)) {
      counters.notSubscribed++;
      return;
    }
    if (message.data().size() > config.maxMessageSize()) {
      reject(from, message, "data of " + message.data().size() + " bytes exceeds maxMessageSize");
      return;
    }
    final ByteString id;
    try {
      id = config.messageIdFunction().messageId(message);
    } catch (final IllegalArgumentException e) {
      reject(from, message, "no message id: " + e.getMessage());
      return;
    }
    if (seen.contains(id)) {
      counters.duplicates++;
      score.duplicate(from, id);
      return;
    }
    final PeerId author;
    try {
      author = authors.computeIfAbsent(message.from(), f -> PeerId.fromBytes(f.toByteArray()));
    } catch (final IllegalArgumentException e) {
      reject(from, message, "bad author: " + e.getMessage());
      return;
    }
    // Checked before the id is marked seen: a forged copy must not shadow the real message.
    final Optional<String> signatureProblem = StrictSign.verify(message, author);
    if (signatureProblem.isPresent()) {
      reject(from, message, signatureProblem.get());
      return;
    }
    seen.add(id);
    promises.delivered(id);
    final ReceivedMessage received =
        new ReceivedMessage(
            topic,
            message.data(),
            author,
            message.seqno().asReadOnlyByteBuffer().getLong(),
            id,
            from);
    final ValidationResult verdict = validate(received);
    if (verdict == ValidationResult.REJECT) {
      counters.rejected++;
      LOG.debug("rejected message on {} from {}: topic validator rejected it", topic, from);
      score.rejected(from, topic, id);
      return;
    }
    if (verdict == ValidationResult.IGNORE) {
      counters.ignored++;
      score.ignored(from, topic, id);
      return;
    }
    score.validated(from, topic, id);
    mcache.put(id, message);
    sendIDontWant(from, topic, id, message.data().size());
    counters.delivered++;
    delivery.accept(received);
    forward(from, received.author(), id, message);
  }

  private ValidationResult validate(final ReceivedMessage message) {
    final TopicValidator validator = validators.get(message.topic());
    if (validator == null) {
      return ValidationResult.ACCEPT;
    }
    try {
      return validator.validate(message);
    } catch (final RuntimeException e) {
      LOG.warn("validator for topic {} threw; rejecting the message", message.topic(), e);
      return ValidationResult.REJECT;
    }
  }

  /** A message that failed before validation (size, id, author, signature): P₄ for the sender. */
  private void reject(final PeerId from, final PubsubMessage message, final String reason) {
    counters.rejected++;
    score.invalid(from, message.topic());
    LOG.debug("rejected message on {} from {}: {}", message.topic(), from, reason);
  }

  private void sendIDontWant(final PeerId from, final String topic, final ByteString id, final int size) {
    if (size < config.idontwantMinDataSize()) {
      return;
    }
    for (final PeerId p : mesh.getOrDefault(topic, Set.of())) {
      if (!p.equals(from) && GossipProtocol.supportsIDontWant(peers.get(p).protocol)) {
        outbox(p).idontwant.add(new ControlIDontWant(List.of(id)));
      }
    }
  }

  private void forward(final PeerId from, final PeerId author, final ByteString id, final PubsubMessage message) {
    final Set<PeerId> targets = directSubscribersOf(message.topic());
    targets.addAll(mesh.getOrDefault(message.topic(), Set.of()));
    for (final PeerId p : targets) {
      if (p.equals(from) || p.equals(author) || peers.get(p).dontWant.containsKey(id)) {
        continue;
      }
      outbox(p).messages.add(message);
    }
  }

  private void handleControl(final PeerId from, final PeerState peer, final ControlMessage control) {
    // Gossip from and to peers below the gossip threshold is ignored.
    final boolean gossipOk = isDirect(from) || score(from) >= thresholds.gossip();
    if (gossipOk) {
      handleIHave(from, peer, control.ihave());
      for (final ControlIWant iwant : control.iwant()) {
        for (final ByteString id : iwant.messageIds()) {
          mcache.getForPeer(id, from, config.gossipRetransmission()).ifPresent(m -> outbox(from).messages.add(m));
        }
      }
    }
    for (final ControlGraft graft : control.graft()) {
      handleGraft(from, peer, graft.topic());
    }
    for (final ControlPrune prune : control.prune()) {
      handlePrune(from, prune);
    }
    for (final ControlIDontWant dontWant : control.idontwant()) {
      for (final ByteString id : dontWant.messageIds()) {
        if (peer.dontWant.size() < config.maxIHaveLength()) {
          peer.dontWant.put(id, heartbeats);
        }
      }
    }
  }

  private void handleIHave(final PeerId from, final PeerState peer, final List<ControlIHave> ihaves) {
    if (ihaves.isEmpty()) {
      return;
    }
    peer.ihavesThisHeartbeat++;
    if (peer.ihavesThisHeartbeat > config.maxIHaveMessages()
        || peer.idsAskedThisHeartbeat >= config.maxIHaveLength()) {
      return;
    }
    final Set<ByteString> wanted = new LinkedHashSet<>();
    for (final ControlIHave ihave : ihaves) {
      if (!mesh.containsKey(ihave.topic())) {
        continue;
      }
      for (final ByteString id : ihave.messageIds()) {
        if (!seen.contains(id)) {
          wanted.add(id);
        }
      }
    }
    if (wanted.isEmpty()) {
      return;
    }
    final List<ByteString> ask = new ArrayList<>(wanted);
    Collections.shuffle(ask, random);
    final int room = config.maxIHaveLength() - peer.idsAskedThisHeartbeat;
    final List<ByteString> limited = List.copyOf(ask.subList(0, Math.min(room, ask.size())));
    peer.idsAskedThisHeartbeat += limited.size();
    outbox(from).iwant.add(new ControlIWant(limited));
    promises.add(from, limited, nanoClock.getAsLong());
  }

  private void handleGraft(final PeerId from, final PeerState peer, final String topic) {
    final Set<PeerId> members = mesh.get(topic);
    if (members == null) {
      // v1.1 spam hardening: a GRAFT for a topic we are not in is ignored, not answered.
      return;
    }
    if (members.contains(from)) {
      return;
    }
    if (isDirect(from)) {
      LOG.warn("direct peer {} grafted {}; direct peers stay out of the mesh", from, topic);
      prune(from, topic, config.pruneBackoff(), false);
      return;
    }
    final Backoff active = activeBackoff(from, topic);
    if (active != null) {
      // Backoff violation: one P₇ point, two if it came within graftFloodThreshold of the PRUNE.
      final long sincePrune = nanoClock.getAsLong() - active.since();
      score.addPenalty(from, sincePrune < config.graftFloodThreshold().toNanos() ? 2 : 1);
      LOG.debug("{} grafted {} during its backoff; penalised and pruned again", from, topic);
      prune(from, topic, config.pruneBackoff(), false);
      return;
    }
    if (score(from) < 0) {
      prune(from, topic, config.pruneBackoff(), false);
      return;
    }
    if (members.size() >= config.dHigh() && !peer.outbound) {
      prune(from, topic, config.pruneBackoff(), true);
      return;
    }
    members.add(from);
    score.graft(from, topic);
  }

  private void handlePrune(final PeerId from, final ControlPrune prune) {
    leaveMesh(from, prune.topic());
    final Duration wait =
        prune.backoffSeconds().isPresent()
            ? Duration.ofSeconds(Math.min(prune.backoffSeconds().getAsLong(), Duration.ofDays(1).toSeconds()))
            : config.pruneBackoff();
    addBackoff(from, prune.topic(), wait);
    if (prune.peers().isEmpty() || score(from) < thresholds.acceptPx()) {
      return;
    }
    final List<ExchangedPeer> offered = new ArrayList<>();
    for (final PeerInfo info : prune.peers()) {
      if (offered.size() >= config.prunePeers()) {
        break;
      }
      exchanged(from, info).filter(p -> !p.peer().equals(self) && !peers.containsKey(p.peer())).ifPresent(offered::add);
    }
    if (!offered.isEmpty()) {
      peerExchange.accept(List.copyOf(offered));
    }
  }

  /**
   * One PX offer, if usable: a valid peer id and, when a signed record comes with it, a record that
   * verifies and names that same peer. An offer with a bad record is dropped whole, since its
   * addresses may be an attacker's.
   */
  private Optional<ExchangedPeer> exchanged(final PeerId from, final PeerInfo info) {
    final PeerId peer;
    try {
      peer = PeerId.fromBytes(info.peerId().toByteArray());
    } catch (final IllegalArgumentException e) {
      LOG.debug("ignoring a malformed PX peer id from {}", from);
      return Optional.empty();
    }
    if (info.signedPeerRecord().isEmpty()) {
      return Optional.of(new ExchangedPeer(peer, List.of()));
    }
    try {
      final SignedPeerRecord record = SignedPeerRecord.open(info.signedPeerRecord().get().toByteArray());
      if (!record.peerId().equals(peer)) {
        throw new IllegalArgumentException("the record is " + record.peerId() + "'s, offered as " + peer);
      }
      return Optional.of(new ExchangedPeer(peer, record.record().addresses()));
    } catch (final IllegalArgumentException e) {
      LOG.warn("PX offer of {} from {} rejected: {}", peer, from, e.getMessage());
      return Optional.empty();
    }
  }

  private void leaveMesh(final PeerId peer, final String topic) {
    final Set<PeerId> members = mesh.get(topic);
    if (members != null && members.remove(peer)) {
      score.prune(peer, topic);
    }
  }

  // ------------------------------------------------------------------------------ heartbeat

  /** Mesh maintenance, fanout expiry, gossip emission and cache shifting; call every heartbeatInterval. */
  public void heartbeat() {
    heartbeats++;
    final long now = nanoClock.getAsLong();
    expireBackoff(now);
    score.refresh();
    promises.broken(now).forEach((peer, count) -> {
      LOG.debug("{} broke {} IWANT promise(s)", peer, count);
      score.addPenalty(peer, count);
    });
    updateGraylist();
    for (final PeerState peer : peers.values()) {
      peer.ihavesThisHeartbeat = 0;
      peer.idsAskedThisHeartbeat = 0;
      // v1.2: IDONTWANT entries matter only while the message could still be forwarded.
      peer.dontWant.values().removeIf(at -> heartbeats - at > config.mcacheLength());
    }
    for (final Map.Entry<String, Set<PeerId>> e : mesh.entrySet()) {
      maintainMesh(e.getKey(), e.getValue());
      if (heartbeats % config.opportunisticGraftTicks() == 0) {
        opportunisticGraft(e.getKey(), e.getValue());
      }
    }
    maintainFanout(now);
    emitGossip();
    mcache.shift();
    seen.prune();
    flush();
  }

  private void maintainMesh(final String topic, final Set<PeerId> members) {
    for (final PeerId p : List.copyOf(members)) {
      if (!peers.containsKey(p) || !peers.get(p).topics.contains(topic)) {
        leaveMesh(p, topic);
      } else if (score(p) < 0) {
        final double value = score(p);
        leaveMesh(p, topic);
        prune(p, topic, config.pruneBackoff(), false);
        LOG.debug("pruned {} from {}: score {}", p, topic, value);
        scoreEvents.accept(new ScoreEvent(ScoreEvent.Kind.PRUNED_FOR_SCORE, p, value, topic));
      }
    }
    if (members.size() < config.dLow()) {
      for (final PeerId p : pickPreferringPositive(graftCandidates(topic, members), config.d() - members.size())) {
        graft(p, topic, members);
      }
    }
    // TensorLink prunes at D_hi already (the spec: above it). Inbound grafts alone fill a mesh to
    // exactly D_hi and no further; at a cold boot sybils that graft first would sit there, and
    // honest peers, all full, would refuse each other's grafts until P₃ catches the sybils.
    if (members.size() >= config.dHigh()) {
      // Keep the dScore best, then random others up to D (shuffled first so ties break randomly).
      final List<PeerId> shuffled = new ArrayList<>(members);
      Collections.shuffle(shuffled, random);
      final Map<PeerId, Double> scores = new HashMap<>();
      shuffled.forEach(p -> scores.put(p, score(p)));
      shuffled.sort(Comparator.comparingDouble(scores::get).reversed());
      final List<PeerId> rest = new ArrayList<>(shuffled.subList(config.dScore(), shuffled.size()));
      Collections.shuffle(rest, random);
      final List<PeerId> ordered = new ArrayList<>(shuffled.subList(0, config.dScore()));
      ordered.addAll(rest);
      final List<PeerId> keep = new ArrayList<>(ordered.subList(0, config.d()));
      // Keep the outbound quota: swap outbound peers from the cut part in for inbound ones.
      long outboundKept = keep.stream().filter(this::isOutbound).count();
      for (final PeerId p : ordered.subList(config.d(), ordered.size())) {
        if (outboundKept >= config.dOut()) {
          break;
        }
        if (isOutbound(p)) {
          for (int i = keep.size() - 1; i >= 0; i--) {
            if (!isOutbound(keep.get(i))) {
              keep.set(i, p);
              outboundKept++;
              break;
            }
          }
        }
      }
      for (final PeerId p : ordered) {
        if (!keep.contains(p)) {
          leaveMesh(p, topic);
          prune(p, topic, config.pruneBackoff(), true);
        }
      }
    }
    if (members.size() >= config.dLow()) {
      final long outbound = members.stream().filter(this::isOutbound).count();
      if (outbound < config.dOut()) {
        final List<PeerId> candidates = graftCandidates(topic, members).stream().filter(this::isOutbound).toList();
        for (final PeerId p : pick(candidates, (int) (config.dOut() - outbound))) {
          graft(p, topic, members);
        }
      }
    }
  }

  /**
   * v1.1 opportunistic grafting: when the mesh's median score is below the threshold (it may be
   * full of sybils that do just enough), graft a few peers that score above the median.
   */
  private void opportunisticGraft(final String topic, final Set<PeerId> members) {
    if (members.size() <= 1) {
      return;
    }
    final double[] sorted = members.stream().mapToDouble(this::score).sorted().toArray();
    final double median = sorted[sorted.length / 2];
    if (median >= thresholds.opportunisticGraft()) {
      return;
    }
    final List<PeerId> better = graftCandidates(topic, members).stream().filter(p -> score(p) > median).toList();
    for (final PeerId p : pick(better, config.opportunisticGraftPeers())) {
      LOG.debug("opportunistically grafting {} into {} (mesh median score {})", p, topic, median);
      graft(p, topic, members);
    }
  }

  private void maintainFanout(final long now) {
    final long ttl = config.fanoutTtl().toNanos();
    fanoutLastPublish.entrySet().removeIf(e -> {
      if (now - e.getValue() > ttl) {
        fanout.remove(e.getKey());
        return true;
      }
      return false;
    });
    for (final Map.Entry<String, Set<PeerId>> e : fanout.entrySet()) {
      final Set<PeerId> fan = e.getValue();
      fan.removeIf(p -> !peers.containsKey(p) || !peers.get(p).topics.contains(e.getKey())
          || score(p) < thresholds.publish());
      refillFanout(e.getKey(), fan);
    }
  }

  private void emitGossip() {
    final Map<String, Set<PeerId>> topics = new LinkedHashMap<>(mesh);
    topics.putAll(fanout);
    for (final Map.Entry<String, Set<PeerId>> e : topics.entrySet()) {
      final List<ByteString> ids = mcache.gossipIds(e.getKey());
      if (ids.isEmpty()) {
        continue;
      }
      final List<PeerId> candidates = subscribersOf(e.getKey()).stream()
          .filter(p -> !e.getValue().contains(p) && !isDirect(p) && score(p) >= thresholds.gossip())
          .toList();
      // Adaptive gossip (v1.1): D_lazy peers, or gossipFactor of the eligible ones if that is more.
      final int target = Math.max(config.dLazy(), (int) (config.gossipFactor() * candidates.size()));
      for (final PeerId p : pick(candidates, target)) {
        final List<ByteString> advertised = new ArrayList<>(ids);
        if (advertised.size() > config.maxIHaveLength()) {
          Collections.shuffle(advertised, random);
          advertised.subList(config.maxIHaveLength(), advertised.size()).clear();
        }
        outbox(p).ihave.add(new ControlIHave(e.getKey(), advertised));
      }
    }
  }

  // ------------------------------------------------------------------------------ helpers

  private void graft(final PeerId peer, final String topic, final Set<PeerId> members) {
    members.add(peer);
    score.graft(peer, topic);
    outbox(peer).graft.add(new ControlGraft(topic));
  }

  /**
   * Sends PRUNE with backoff (v1.1 peers), and with peer exchange when {@code px}: up to {@code
   * prunePeers} other subscribers with a non-negative score. A peer pruned for misbehaving gets none.
   */
  private void prune(final PeerId peer, final String topic, final Duration wait, final boolean px) {
    addBackoff(peer, topic, wait);
    final PeerState state = peers.get(peer);
    final boolean v11 = state != null && GossipProtocol.supportsBackoff(state.protocol);
    if (!v11) {
      outbox(peer).prune.add(ControlPrune.withoutBackoff(topic));
      return;
    }
    final List<PeerInfo> exchange = px && config.prunePeers() > 0 ? pxPeers(topic, peer) : List.of();
    outbox(peer).prune.add(new ControlPrune(topic, exchange, OptionalLong.of(wait.toSeconds())));
  }

  private List<PeerInfo> pxPeers(final String topic, final PeerId pruned) {
    final List<PeerId> candidates = subscribersOf(topic).stream()
        .filter(p -> !p.equals(pruned) && !isDirect(p) && score(p) >= 0)
        .toList();
    return pick(candidates, config.prunePeers()).stream()
        .map(p -> new PeerInfo(ByteString.copyFrom(p.bytes()), peerRecords.apply(p).map(r -> ByteString.copyFrom(r.bytes()))))
        .toList();
  }

  private void addBackoff(final PeerId peer, final String topic, final Duration wait) {
    final long now = nanoClock.getAsLong();
    final Backoff fresh = new Backoff(now, now + wait.toNanos());
    backoff.computeIfAbsent(topic, t -> new HashMap<>())
        .merge(peer, fresh, (old, neu) -> new Backoff(neu.since(), Math.max(old.until(), neu.until())));
  }

  private boolean inBackoff(final PeerId peer, final String topic) {
    return activeBackoff(peer, topic) != null;
  }

  /** The peer's backoff for the topic, or null when it is not in backoff. */
  private Backoff activeBackoff(final PeerId peer, final String topic) {
    final Backoff b = backoff.getOrDefault(topic, Map.of()).get(peer);
    return b != null && b.until() - nanoClock.getAsLong() > 0 ? b : null;
  }

  private void expireBackoff(final long now) {
    for (final Map<PeerId, Backoff> perTopic : backoff.values()) {
      perTopic.values().removeIf(b -> b.until() - now <= 0);
    }
    backoff.values().removeIf(Map::isEmpty);
  }

  private boolean isOutbound(final PeerId peer) {
    final PeerState state = peers.get(peer);
    return state != null && state.outbound;
  }

  private List<PeerId> graftCandidates(final String topic, final Set<PeerId> exclude) {
    return subscribersOf(topic).stream()
        .filter(p -> !exclude.contains(p) && !inBackoff(p, topic) && !isDirect(p) && score(p) >= 0)
        .toList();
  }

  private boolean isDirect(final PeerId peer) {
    return config.directPeers().contains(peer);
  }

  /** Connected direct peers that subscribe to {@code topic} (always sent everything on it). */
  private Set<PeerId> directSubscribersOf(final String topic) {
    final Set<PeerId> direct = new LinkedHashSet<>();
    for (final PeerId p : config.directPeers()) {
      final PeerState state = peers.get(p);
      if (state != null && state.topics.contains(topic)) {
        direct.add(p);
      }
    }
    return direct;
  }

  private double score(final PeerId peer) {
    return score.score(peer);
  }

  private void updateGraylist() {
    for (final PeerId p : peers.keySet()) {
      final double value = score(p);
      if (value < thresholds.graylist() && !isDirect(p)) {
        noteGraylist(p);
      } else if (graylisted.remove(p)) {
        scoreEvents.accept(new ScoreEvent(ScoreEvent.Kind.UNGRAYLISTED, p, value, ""));
      }
    }
  }

  private void noteGraylist(final PeerId peer) {
    if (graylisted.add(peer)) {
      final double value = score(peer);
      LOG.info("graylisted {}: score {}", peer, value);
      scoreEvents.accept(new ScoreEvent(ScoreEvent.Kind.GRAYLISTED, peer, value, ""));
    }
  }

  private Set<PeerId> subscribersOf(final String topic) {
    return peers.entrySet().stream()
        .filter(e -> e.getValue().topics.contains(topic))
        .map(Map.Entry::getKey)
        .collect(Collectors.toCollection(LinkedHashSet::new));
  }

  /**
   * Like {@link #pick}, but peers with a positive score (they delivered messages first, or the
   * application vouches for them) come before peers with none. TensorLink's choice: the spec
   * picks at random among non-negative peers, which at a sybil-heavy cold boot keeps refilling
   * the mesh with fresh sybils (see docs/gossipsub.md).
   */
  private List<PeerId> pickPreferringPositive(final List<PeerId> candidates, final int count) {
    final List<PeerId> positive = candidates.stream().filter(p -> score(p) > 0).toList();
    final List<PeerId> chosen = new ArrayList<>(pick(positive, count));
    if (chosen.size() < count) {
      chosen.addAll(pick(candidates.stream().filter(p -> score(p) <= 0).toList(), count - chosen.size()));
    }
    return chosen;
  }

  private List<PeerId> pick(final List<PeerId> candidates, final int count) {
    if (count <= 0) {
      return List.of();
    }
    final List<PeerId> shuffled = new ArrayList<>(candidates);
    Collections.shuffle(shuffled, random);
    return shuffled.subList(0, Math.min(count, shuffled.size()));
  }

  private Outbox outbox(final PeerId peer) {
    return outboxes.computeIfAbsent(peer, p -> new Outbox());
  }

  private void flush() {
    if (outboxes.isEmpty()) {
      return;
    }
    final List<Map.Entry<PeerId, Outbox>> pending = new ArrayList<>(outboxes.entrySet());
    outboxes.clear();
    for (final Map.Entry<PeerId, Outbox> e : pending) {
      final PeerState state = peers.get(e.getKey());
      if (state == null) {
        continue;
      }
      for (final Rpc rpc : e.getValue().drain(config.maxRpcSize())) {
        try {
          state.sender.send(rpc);
        } catch (final RuntimeException ex) {
          LOG.warn("sending an RPC to {} failed", e.getKey(), ex);
        }
      }
    }
  }

  // ------------------------------------------------------------------------------ introspection

  public Set<PeerId> meshPeers(final String topic) {
    return Set.copyOf(mesh.getOrDefault(topic, Set.of()));
  }

  public Set<PeerId> fanoutPeers(final String topic) {
    return Set.copyOf(fanout.getOrDefault(topic, Set.of()));
  }

  /** Connected peers that announced a subscription to {@code topic}. */
  public Set<PeerId> topicPeers(final String topic) {
    return Set.copyOf(subscribersOf(topic));
  }

  public RouterStats counters() {
    return counters.snapshot(seen.size(), mcache.size());
  }

  /** The peer's current score and its parts. */
  public ScoreBreakdown peerScore(final PeerId peer) {
    return score.breakdown(peer);
  }

  /** Scores of the connected peers. */
  public Map<PeerId, ScoreBreakdown> scores() {
    final Map<PeerId, ScoreBreakdown> all = new LinkedHashMap<>();
    peers.keySet().forEach(p -> all.put(p, score.breakdown(p)));
    return all;
  }

  /** P₅: the application's verdict on a peer, e.g. negative when its records fail verification. */
  public void setApplicationScore(final PeerId peer, final double value) {
    score.setApplicationScore(peer, value);
  }

  /** Receives threshold crossings and score-based prunes (on the router thread). */
  public void setScoreListener(final Consumer<ScoreEvent> listener) {
    scoreEvents = listener;
  }

  /**
   * Receives peers offered by peer exchange in a PRUNE from a peer at or above the accept-PX
   * threshold (peers unknown to us), with the addresses of their verified signed records.
   */
  public void setPeerExchangeListener(final Consumer<List<ExchangedPeer>> listener) {
    peerExchange = listener;
  }

  /** Where PX finds the signed records it attaches to the peers it offers (e.g. from identify). */
  public void setPeerRecords(final Function<PeerId, Optional<SignedPeerRecord>> source) {
    peerRecords = source;
  }
}
