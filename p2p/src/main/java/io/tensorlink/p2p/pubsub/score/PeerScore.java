package io.tensorlink.p2p.pubsub.score;

import com.google.protobuf.ByteString;
import io.tensorlink.p2p.peer.PeerId;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * The gossipsub v1.1 score function: the counters behind P₁–P₇, their decay, and the score. The
 * router reports events (graft, prune, first and duplicate deliveries, invalid messages,
 * behaviour penalties) and asks for scores; the application sets P₅.
 *
 * <p>Delivery records remember, per message id, when it was first received, its verdict and who
 * sent it, so that a near-first duplicate from a mesh peer counts for P₃ and every peer that
 * forwarded a message the validator rejected is charged P₄ once. Not thread-safe (router-confined).
 */
public final class PeerScore {
  private enum Verdict { VALID, INVALID, IGNORED }

  private static final class Delivery {
    final long firstSeen;
    final String topic;
    final Verdict verdict;
    final Set<PeerId> peers = new HashSet<>();

    Delivery(final long firstSeen, final String topic, final Verdict verdict, final PeerId first) {
      this.firstSeen = firstSeen;
      this.topic = topic;
      this.verdict = verdict;
      peers.add(first);
    }
  }

  private static final class TopicStats {
    boolean inMesh;
    long graftTime;
    long meshTime;
    boolean meshDeliveriesActive;
    double firstDeliveries;
    double meshDeliveries;
    double meshFailurePenalty;
    double invalidDeliveries;
  }

  private static final class PeerStats {
    boolean connected = true;
    long expireAt;
    Optional<String> ip = Optional.empty();
    double appScore;
    double behaviourPenalty;
    final Map<String, TopicStats> topics = new HashMap<>();
  }

  private final PeerScoreParams params;
  private final LongSupplier nanoClock;
  private final long deliveryRecordTtl;
  private final Map<PeerId, PeerStats> peers = new HashMap<>();
  private final Map<String, Set<PeerId>> peersByIp = new HashMap<>();
  private final LinkedHashMap<ByteString, Delivery> deliveries = new LinkedHashMap<>();
  private long lastDecay;

  /**
   * @param deliveryRecordTtl how long delivery records are kept (the router's seen-cache TTL: after
   *     that a copy is no longer a duplicate anyway)
   */
  public PeerScore(final PeerScoreParams params, final LongSupplier nanoClock, final Duration deliveryRecordTtl) {
    this.params = params;
    this.nanoClock = nanoClock;
    this.deliveryRecordTtl = deliveryRecordTtl.toNanos();
    this.lastDecay = nanoClock.getAsLong();
  }

  // ------------------------------------------------------------------------------ peers

  /** A peer connected (from {@code ip} when known); a retained score is revived. */
  public void addPeer(final PeerId peer, final Optional<String> ip) {
    final PeerStats stats = peers.computeIfAbsent(peer, p -> new PeerStats());
    stats.connected = true;
    stats.ip.ifPresent(old -> leaveIp(peer, old));
    stats.ip = ip;
    ip.ifPresent(a -> peersByIp.computeIfAbsent(a, k -> new HashSet<>()).add(peer));
  }

  /**
   * A peer disconnected: it leaves every mesh (with the P₃b charge a prune brings); a positive
   * score is dropped, a non-positive one kept for {@code retainScore} so reconnecting does not
   * reset it.
   */
  public void removePeer(final PeerId peer) {
    final PeerStats stats = peers.get(peer);
    if (stats == null) {
      return;
    }
    if (score(peer) > 0) {
      peers.remove(peer);
    } else {
      stats.topics.forEach((topic, t) -> leaveMesh(topic, t));
      stats.connected = false;
      stats.expireAt = nanoClock.getAsLong() + params.retainScore().toNanos();
    }
    stats.ip.ifPresent(a -> leaveIp(peer, a));
  }

  private void leaveIp(final PeerId peer, final String ip) {
    final Set<PeerId> same = peersByIp.get(ip);
    if (same != null) {
      same.remove(peer);
      if (same.isEmpty()) {
        peersByIp.remove(ip);
      }
    }
  }

  /** P₅: the application's verdict on the peer (kept while the peer's score is retained). */
  public void setApplicationScore(final PeerId peer, final double value) {
    peers.computeIfAbsent(peer, p -> {
      final PeerStats s = new PeerStats();
      s.connected = false;
      s.expireAt = nanoClock.getAsLong() + params.retainScore().toNanos();
      return s;
    }).appScore = value;
  }

  /** P₇: adds {@code count} to the peer's behaviour-penalty counter. */
  public void addPenalty(final PeerId peer, final int count) {
    final PeerStats stats = peers.get(peer);
    if (stats != null) {
      stats.behaviourPenalty += count;
    }
  }

  // ------------------------------------------------------------------------------ mesh

  public void graft(final PeerId peer, final String topic) {
    topicStats(peer, topic).ifPresent(t -> {
      t.inMesh = true;
      t.graftTime = nanoClock.getAsLong();
      t.meshTime = 0;
      t.meshDeliveriesActive = false;
    });
  }

  /** The peer left our mesh (pruned by us or by itself): an active P₃ deficit becomes P₃b. */
  public void prune(final PeerId peer, final String topic) {
    topicStats(peer, topic).ifPresent(t -> leaveMesh(topic, t));
  }

  private void leaveMesh(final String topic, final TopicStats t) {
    if (!t.inMesh) {
      return;
    }
    params.forTopic(topic).ifPresent(p -> {
      final double deficit = meshDeficit(t, p);
      t.meshFailurePenalty += deficit * deficit;
    });
    // P₃ judges mesh members only; out of the mesh the failure lives on as P₃b.
    t.inMesh = false;
    t.meshDeliveriesActive = false;
  }

  // ------------------------------------------------------------------------------ deliveries

  /** The first copy of a message, from {@code peer}, passed validation (P₂, and P₃ if in mesh). */
  public void validated(final PeerId peer, final String topic, final ByteString id) {
    deliveries.put(id, new Delivery(nanoClock.getAsLong(), topic, Verdict.VALID, peer));
    topicStats(peer, topic).ifPresent(t -> {
      final TopicScoreParams p = params.forTopic(topic).orElseThrow();
      t.firstDeliveries = Math.min(t.firstDeliveries + 1, p.firstMessageDeliveriesCap());
      if (t.inMesh) {
        t.meshDeliveries = Math.min(t.meshDeliveries + 1, p.meshMessageDeliveriesCap());
      }
    });
  }

  /** The validator rejected the first copy of a message, from {@code peer} (P₄). */
  public void rejected(final PeerId peer, final String topic, final ByteString id) {
    deliveries.put(id, new Delivery(nanoClock.getAsLong(), topic, Verdict.INVALID, peer));
    invalid(peer, topic);
  }

  /** The validator ignored the first copy of a message: neither reward nor penalty, now or for copies. */
  public void ignored(final PeerId peer, final String topic, final ByteString id) {
    deliveries.put(id, new Delivery(nanoClock.getAsLong(), topic, Verdict.IGNORED, peer));
  }

  /** A message that failed before it had a trustworthy id (size, author, signature): P₄. */
  public void invalid(final PeerId peer, final String topic) {
    topicStats(peer, topic).ifPresent(t -> t.invalidDeliveries += 1);
  }

  /**
   * Another copy of a message we already have: counts for P₃ if it came within the delivery window
   * of a valid first copy, for P₄ if the first copy was rejected. Each peer is charged once per id.
   */
  public void duplicate(final PeerId peer, final ByteString id) {
    final Delivery d = deliveries.get(id);
    if (d == null || !d.peers.add(peer)) {
      return;
    }
    switch (d.verdict) {
      case VALID -> topicStats(peer, d.topic).ifPresent(t -> {
        final TopicScoreParams p = params.forTopic(d.topic).orElseThrow();
        if (t.inMesh && nanoClock.getAsLong() - d.firstSeen <= p.meshMessageDeliveriesWindow().toNanos()) {
          t.meshDeliveries = Math.min(t.meshDeliveries + 1, p.meshMessageDeliveriesCap());
        }
      });
      case INVALID -> invalid(peer, d.topic);
      case IGNORED -> { }
    }
  }

  // ------------------------------------------------------------------------------ time

  /**
   * Decays the counters once per elapsed {@code decayInterval}, updates time in mesh and P₃
   * activation, and forgets expired retained scores and delivery records. Call every heartbeat.
   */
  public void refresh() {
    final long now = nanoClock.getAsLong();
    final long interval = params.decayInterval().toNanos();
    while (now - lastDecay >= interval) {
      lastDecay += interval;
      decay();
    }
    final Iterator<Map.Entry<PeerId, PeerStats>> it = peers.entrySet().iterator();
    while (it.hasNext()) {
      final Map.Entry<PeerId, PeerStats> e = it.next();
      final PeerStats s = e.getValue();
      if (!s.connected && s.expireAt - now <= 0) {
        it.remove();
        continue;
      }
      s.topics.forEach((topic, t) -> {
        if (t.inMesh) {
          t.meshTime = now - t.graftTime;
          params.forTopic(topic).ifPresent(p ->
              t.meshDeliveriesActive |= t.meshTime >= p.meshMessageDeliveriesActivation().toNanos());
        }
      });
    }
    final Iterator<Delivery> records = deliveries.values().iterator();
    while (records.hasNext() && now - records.next().firstSeen > deliveryRecordTtl) {
      records.remove();
    }
  }

  private void decay() {
    final double zero = params.decayToZero();
    for (final PeerStats s : peers.values()) {
      s.behaviourPenalty = decayed(s.behaviourPenalty, params.behaviourPenaltyDecay(), zero);
      s.topics.forEach((topic, t) -> params.forTopic(topic).ifPresent(p -> {
        t.firstDeliveries = decayed(t.firstDeliveries, p.firstMessageDeliveriesDecay(), zero);
        t.meshDeliveries = decayed(t.meshDeliveries, p.meshMessageDeliveriesDecay(), zero);
        t.meshFailurePenalty = decayed(t.meshFailurePenalty, p.meshFailurePenaltyDecay(), zero);
        t.invalidDeliveries = decayed(t.invalidDeliveries, p.invalidMessageDeliveriesDecay(), zero);
      }));
    }
  }

  private static double decayed(final double value, final double factor, final double zero) {
    final double next = value * factor;
    return next < zero ? 0 : next;
  }

  // ------------------------------------------------------------------------------ score

  /** The peer's score (0 for a peer we know nothing about). */
  public double score(final PeerId peer) {
    final PeerStats s = peers.get(peer);
    return s == null ? 0 : breakdown(s).total();
  }

  /** The score with its parts, for display ({@code tl-cli p2p peers}) and tests. */
  public ScoreBreakdown breakdown(final PeerId peer) {
    final PeerStats s = peers.get(peer);
    return s == null ? ScoreBreakdown.ZERO : breakdown(s);
  }

  private ScoreBreakdown breakdown(final PeerStats s) {
    double p1 = 0, p2 = 0, p3 = 0, p3b = 0, p4 = 0;
    for (final Map.Entry<String, TopicStats> e : s.topics.entrySet()) {
      final Optional<TopicScoreParams> params = this.params.forTopic(e.getKey());
      if (params.isEmpty()) {
        continue;
      }
      final TopicScoreParams p = params.get();
      final TopicStats t = e.getValue();
      final double w = p.topicWeight();
      if (t.inMesh) {
        final double quanta = (double) t.meshTime / p.timeInMeshQuantum().toNanos();
        p1 += w * p.timeInMeshWeight() * Math.min(quanta, p.timeInMeshCap());
      }
      p2 += w * p.firstMessageDeliveriesWeight() * t.firstDeliveries;
      final double deficit = meshDeficit(t, p);
      p3 += w * p.meshMessageDeliveriesWeight() * deficit * deficit;
      p3b += w * p.meshFailurePenaltyWeight() * t.meshFailurePenalty;
      p4 += w * p.invalidMessageDeliveriesWeight() * t.invalidDeliveries * t.invalidDeliveries;
    }
    double topicsTotal = p1 + p2 + p3 + p3b + p4;
    if (params.topicScoreCap() > 0 && topicsTotal > params.topicScoreCap()) {
      topicsTotal = params.topicScoreCap();
    }
    final double p5 = params.appSpecificWeight() * s.appScore;
    double p6 = 0;
    if (s.ip.isPresent() && !params.ipColocationWhitelist().contains(s.ip.get())) {
      final int sharing = peersByIp.getOrDefault(s.ip.get(), Set.of()).size();
      final int surplus = sharing - params.ipColocationFactorThreshold();
      if (surplus > 0) {
        p6 = params.ipColocationFactorWeight() * surplus * surplus;
      }
    }
    double p7 = 0;
    final double excess = s.behaviourPenalty - params.behaviourPenaltyThreshold();
    if (excess > 0) {
      p7 = params.behaviourPenaltyWeight() * excess * excess;
    }
    return new ScoreBreakdown(topicsTotal + p5 + p6 + p7, p1, p2, p3, p3b, p4, p5, p6, p7);
  }

  private static double meshDeficit(final TopicStats t, final TopicScoreParams p) {
    if (!t.meshDeliveriesActive || t.meshDeliveries >= p.meshMessageDeliveriesThreshold()) {
      return 0;
    }
    return p.meshMessageDeliveriesThreshold() - t.meshDeliveries;
  }

  private Optional<TopicStats> topicStats(final PeerId peer, final String topic) {
    final PeerStats s = peers.get(peer);
    if (s == null || params.forTopic(topic).isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(s.topics.computeIfAbsent(topic, k -> new TopicStats()));
  }
}
