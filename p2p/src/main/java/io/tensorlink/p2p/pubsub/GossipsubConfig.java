package io.tensorlink.p2p.pubsub;

import io.tensorlink.p2p.peer.PeerId;
import io.tensorlink.p2p.pubsub.score.PeerScoreParams;
import io.tensorlink.p2p.pubsub.score.PeerScoreThresholds;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * Gossipsub parameters. Defaults are the spec's (gossipsub v1.0/v1.1) and match js-libp2p's.
 *
 * @param d desired mesh degree (default 6)
 * @param dLow below this the heartbeat grafts peers (default 4)
 * @param dHigh above this the heartbeat prunes down to {@code d} (default 12)
 * @param dLazy minimum number of peers to send IHAVE gossip to per topic (default 6)
 * @param dOut the mesh keeps at least this many peers we dialed, against eclipse by inbound floods
 *     (default 2; must be below {@code dLow} and at most {@code d / 2})
 * @param gossipFactor share of eligible non-mesh peers that get IHAVE gossip, if more than {@code
 *     dLazy} (default 0.25)
 * @param heartbeatInterval mesh maintenance period (default 1 s)
 * @param fanoutTtl fanout state for topics we publish to without subscribing is dropped after this
 *     long without a publish (default 60 s)
 * @param mcacheLength heartbeats a message stays retrievable by IWANT (default 5)
 * @param mcacheGossip heartbeats a message is advertised in IHAVE (default 3)
 * @param seenTtl how long message ids are remembered to drop duplicates (default 2 min)
 * @param pruneBackoff how long a pruned peer may not graft again (default 1 min)
 * @param unsubscribeBackoff backoff sent with the PRUNEs of an unsubscribe (default 10 s)
 * @param floodPublish send our own messages to every subscribed peer, not only the mesh (v1.1;
 *     default true, as js)
 * @param maxIHaveLength most message ids we ask for per heartbeat from one peer (default 5000)
 * @param maxIHaveMessages most IHAVE messages we accept from one peer per heartbeat (default 10)
 * @param gossipRetransmission times one message is sent to one peer in reply to IWANT (default 3)
 * @param maxMessageSize largest {@code data} we publish or accept (default 1 MiB)
 * @param maxRpcSize largest length-prefixed RPC we read or send (default 4 MiB, js's inbound limit)
 * @param idontwantMinDataSize messages at least this big trigger IDONTWANT to v1.2 mesh peers
 *     (default 512 bytes, as js)
 * @param messageIdFunction how message ids are derived (default {@link
 *     MessageIdFunction#KEY_AND_SEQNO}, js-libp2p's StrictSign default)
 * @param scoreParams peer-scoring parameters (default {@link PeerScoreParams#tensorLink()})
 * @param scoreThresholds score thresholds (default {@link PeerScoreThresholds#defaults()})
 * @param dScore when pruning an oversubscribed mesh, this many best-scoring peers are kept before
 *     the random rest (default 4, or d if smaller)
 * @param prunePeers peers offered in peer exchange with a PRUNE (default 16)
 * @param iwantFollowupTime an IWANT not answered this soon is a broken promise (P₇; default 3 s)
 * @param graftFloodThreshold a GRAFT this soon after our PRUNE costs an extra P₇ point (default 10 s)
 * @param opportunisticGraftTicks heartbeats between opportunistic-grafting checks (default 60)
 * @param opportunisticGraftPeers peers grafted per check when the mesh median is low (default 2)
 * @param directPeers explicit peering agreements: always sent every message, never in the mesh,
 *     never scored out (default none)
 */
public record GossipsubConfig(
    int d,
    int dLow,
    int dHigh,
    int dLazy,
    int dOut,
    double gossipFactor,
    Duration heartbeatInterval,
    Duration fanoutTtl,
    int mcacheLength,
    int mcacheGossip,
    Duration seenTtl,
    Duration pruneBackoff,
    Duration unsubscribeBackoff,
    boolean floodPublish,
    int maxIHaveLength,
    int maxIHaveMessages,
    int gossipRetransmission,
    int maxMessageSize,
    int maxRpcSize,
    int idontwantMinDataSize,
    MessageIdFunction messageIdFunction,
    PeerScoreParams scoreParams,
    PeerScoreThresholds scoreThresholds,
    int dScore,
    int prunePeers,
    Duration iwantFollowupTime,
    Duration graftFloodThreshold,
    int opportunisticGraftTicks,
    int opportunisticGraftPeers,
    Set<PeerId> directPeers) {

  /** Room in an RPC for one message's envelope (author, seqno, topic, signature, key) beyond its data. */
  public static final int RPC_OVERHEAD = 4096;

  public GossipsubConfig {
    require(d > 0 && dLow > 0 && dLow <= d && d <= dHigh, "need 0 < dLow <= d <= dHigh");
    require(dOut >= 0 && dOut < dLow && dOut <= d / 2, "dOut must be below dLow and at most d/2");
    require(dLazy >= 0, "dLazy must not be negative");
    require(gossipFactor >= 0 && gossipFactor <= 1, "gossipFactor must be within [0, 1]");
    require(positive(heartbeatInterval), "heartbeatInterval must be positive");
    require(positive(fanoutTtl) && positive(seenTtl), "fanoutTtl and seenTtl must be positive");
    require(mcacheGossip > 0 && mcacheGossip <= mcacheLength, "need 0 < mcacheGossip <= mcacheLength");
    require(!pruneBackoff.isNegative() && !unsubscribeBackoff.isNegative(), "backoffs must not be negative");
    require(maxIHaveLength > 0 && maxIHaveMessages > 0 && gossipRetransmission > 0, "gossip limits must be positive");
    require(maxMessageSize > 0 && maxRpcSize >= maxMessageSize + RPC_OVERHEAD, "maxRpcSize must exceed maxMessageSize by 4 KiB");
    require(idontwantMinDataSize >= 0, "idontwantMinDataSize must not be negative");
    Objects.requireNonNull(messageIdFunction, "messageIdFunction");
    Objects.requireNonNull(scoreParams, "scoreParams");
    Objects.requireNonNull(scoreThresholds, "scoreThresholds");
    require(dScore >= 0 && dScore <= d, "need 0 <= dScore <= d");
    require(prunePeers >= 0, "prunePeers must not be negative");
    require(positive(iwantFollowupTime), "iwantFollowupTime must be positive");
    require(!graftFloodThreshold.isNegative(), "graftFloodThreshold must not be negative");
    require(opportunisticGraftTicks > 0 && opportunisticGraftPeers >= 0, "opportunistic grafting needs ticks > 0, peers >= 0");
    directPeers = Set.copyOf(directPeers);
  }

  public static GossipsubConfig defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  private static boolean positive(final Duration duration) {
    return !duration.isNegative() && !duration.isZero();
  }

  private static void require(final boolean condition, final String message) {
    if (!condition) {
      throw new IllegalArgumentException("gossipsub config: " + message);
    }
  }

  /** Builder starting from the documented defaults. */
  public static final class Builder {
    private int d = 6;
    private int dLow = 4;
    private int dHigh = 12;
    private int dLazy = 6;
    private int dOut = 2;
    private double gossipFactor = 0.25;
    private Duration heartbeatInterval = Duration.ofSeconds(1);
    private Duration fanoutTtl = Duration.ofSeconds(60);
    private int mcacheLength = 5;
    private int mcacheGossip = 3;
    private Duration seenTtl = Duration.ofMinutes(2);
    private Duration pruneBackoff = Duration.ofMinutes(1);
    private Duration unsubscribeBackoff = Duration.ofSeconds(10);
    private boolean floodPublish = true;
    private int maxIHaveLength = 5000;
    private int maxIHaveMessages = 10;
    private int gossipRetransmission = 3;
    private int maxMessageSize = 1024 * 1024;
    private int maxRpcSize = 4 * 1024 * 1024;
    private int idontwantMinDataSize = 512;
    private MessageIdFunction messageIdFunction = MessageIdFunction.KEY_AND_SEQNO;
    private PeerScoreParams scoreParams = PeerScoreParams.tensorLink();
    private PeerScoreThresholds scoreThresholds = PeerScoreThresholds.defaults();
    /** Unset: 4, or d when d is smaller (the spec suggests 4–5 for D = 6). */
    private int dScore = -1;
    private int prunePeers = 16;
    private Duration iwantFollowupTime = Duration.ofSeconds(3);
    private Duration graftFloodThreshold = Duration.ofSeconds(10);
    private int opportunisticGraftTicks = 60;
    private int opportunisticGraftPeers = 2;
    private Set<PeerId> directPeers = Set.of();

    private Builder() {}

    public Builder meshDegree(final int low, final int target, final int high) {
      dLow = low;
      d = target;
      dHigh = high;
      return this;
    }

    public Builder dLazy(final int value) {
      dLazy = value;
      return this;
    }

    public Builder dOut(final int value) {
      dOut = value;
      return this;
    }

    public Builder gossipFactor(final double value) {
      gossipFactor = value;
      return this;
    }

    public Builder heartbeatInterval(final Duration value) {
      heartbeatInterval = value;
      return this;
    }

    public Builder fanoutTtl(final Duration value) {
      fanoutTtl = value;
      return this;
    }

    public Builder messageCache(final int length, final int gossip) {
      mcacheLength = length;
      mcacheGossip = gossip;
      return this;
    }

    public Builder seenTtl(final Duration value) {
      seenTtl = value;
      return this;
    }

    public Builder pruneBackoff(final Duration value) {
      pruneBackoff = value;
      return this;
    }

    public Builder unsubscribeBackoff(final Duration value) {
      unsubscribeBackoff = value;
      return this;
    }

    public Builder floodPublish(final boolean value) {
      floodPublish = value;
      return this;
    }

    public Builder ihaveLimits(final int maxLength, final int maxMessages) {
      maxIHaveLength = maxLength;
      maxIHaveMessages = maxMessages;
      return this;
    }

    public Builder gossipRetransmission(final int value) {
      gossipRetransmission = value;
      return this;
    }

    public Builder maxMessageSize(final int value) {
      maxMessageSize = value;
      return this;
    }

    public Builder maxRpcSize(final int value) {
      maxRpcSize = value;
      return this;
    }

    public Builder idontwantMinDataSize(final int value) {
      idontwantMinDataSize = value;
      return this;
    }

    public Builder messageIdFunction(final MessageIdFunction value) {
      messageIdFunction = value;
      return this;
    }

    public Builder scoring(final PeerScoreParams params, final PeerScoreThresholds thresholds) {
      scoreParams = params;
      scoreThresholds = thresholds;
      return this;
    }

    public Builder dScore(final int value) {
      dScore = value;
      return this;
    }

    public Builder prunePeers(final int value) {
      prunePeers = value;
      return this;
    }

    public Builder iwantFollowupTime(final Duration value) {
      iwantFollowupTime = value;
      return this;
    }

    public Builder graftFloodThreshold(final Duration value) {
      graftFloodThreshold = value;
      return this;
    }

    public Builder opportunisticGrafting(final int ticks, final int peers) {
      opportunisticGraftTicks = ticks;
      opportunisticGraftPeers = peers;
      return this;
    }

    public Builder directPeers(final Set<PeerId> value) {
      directPeers = value;
      return this;
    }

    public GossipsubConfig build() {
      return new GossipsubConfig(
          d, dLow, dHigh, dLazy, dOut, gossipFactor, heartbeatInterval, fanoutTtl, mcacheLength, mcacheGossip,
          seenTtl, pruneBackoff, unsubscribeBackoff, floodPublish, maxIHaveLength, maxIHaveMessages,
          gossipRetransmission, maxMessageSize, maxRpcSize, idontwantMinDataSize, messageIdFunction,
          scoreParams, scoreThresholds, dScore < 0 ? Math.min(4, d) : dScore, prunePeers, iwantFollowupTime, graftFloodThreshold,
          opportunisticGraftTicks, opportunisticGraftPeers, directPeers);
    }
  }
}
