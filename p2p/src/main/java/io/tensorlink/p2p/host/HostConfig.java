package io.tensorlink.p2p.host;

import io.tensorlink.p2p.crypto.KeyType;
import io.tensorlink.p2p.crypto.Keys;
import io.tensorlink.p2p.crypto.PrivKey;
import io.tensorlink.p2p.multiaddr.Multiaddr;
import java.time.Duration;
import java.util.List;

/**
 * Host settings. Build with {@link #builder(PrivKey)}; every field has a documented default.
 *
 * @param identity the node's private key (its peer ID derives from it)
 * @param listenAddresses TCP multiaddrs to listen on (port 0 picks a free port); empty = dial only
 * @param agentVersion sent in identify
 * @param protocolVersion sent in identify ({@code ipfs/0.1.0}, what js-libp2p sends)
 * @param maxConnections inbound connections beyond this are refused, and the oldest idle ones are
 *     trimmed (default 256)
 * @param maxStreamsPerConnection inbound streams beyond this are reset (default 1024)
 * @param maxNegotiatingStreams per connection, streams still in multistream-select (default 64)
 * @param handshakeTimeout TCP connect through yamux setup (default 10 s)
 * @param streamNegotiationTimeout multistream-select on a stream (default 10 s)
 * @param idleTimeout a connection with no open streams for this long is closed (default 5 min;
 *     {@link Duration#ZERO} disables)
 * @param keepAliveInterval yamux ping interval (default 15 s; ZERO disables)
 * @param dialBackoffBase first backoff after a failed dial to a peer (default 1 s), doubling per
 *     consecutive failure
 * @param dialBackoffMax backoff cap (default 5 min)
 * @param yamuxReceiveWindow per-stream receive window we grant (default 16 MiB; at least the
 *     spec's 256 KiB). Bigger windows let bulk streams run at line rate.
 * @param yamuxMaxFrame largest yamux data frame we send (default 256 KiB)
 * @param streamWriteBufferHighWaterMark queued bytes at which a stream turns unwritable (default 4
 *     MiB)
 * @param streamWriteBufferLowWaterMark queued bytes at which it turns writable again (default 1 MiB)
 * @param eventLoopThreads Netty I/O threads (default 0 = Netty's default, 2 × cores)
 * @param maxInboundStreamsPerSecond per connection, streams the peer may open per second (burst of
 *     the same size); beyond that they are reset (default 256)
 * @param connectionReceiveBudget per connection, the total receive window granted beyond each
 *     stream's spec-mandated 256 KiB (default 64 MiB: four streams at the full 16 MiB); further
 *     streams get 256 KiB until others close
 */
public record HostConfig(
    PrivKey identity,
    List<Multiaddr> listenAddresses,
    String agentVersion,
    String protocolVersion,
    int maxConnections,
    int maxStreamsPerConnection,
    int maxNegotiatingStreams,
    Duration handshakeTimeout,
    Duration streamNegotiationTimeout,
    Duration idleTimeout,
    Duration keepAliveInterval,
    Duration dialBackoffBase,
    Duration dialBackoffMax,
    int yamuxReceiveWindow,
    int yamuxMaxFrame,
    int streamWriteBufferHighWaterMark,
    int streamWriteBufferLowWaterMark,
    int eventLoopThreads,
    int maxInboundStreamsPerSecond,
    long connectionReceiveBudget) {

  /** The yamux spec's initial window; we never grant less. */
  public static final int YAMUX_INITIAL_WINDOW = 256 * 1024;

  public HostConfig {
    listenAddresses = List.copyOf(listenAddresses);
    require(maxConnections > 0, "maxConnections must be positive");
    require(maxStreamsPerConnection > 0, "maxStreamsPerConnection must be positive");
    require(maxNegotiatingStreams > 0, "maxNegotiatingStreams must be positive");
    require(yamuxReceiveWindow >= YAMUX_INITIAL_WINDOW, "yamuxReceiveWindow must be at least 256 KiB");
    require(yamuxMaxFrame >= 1024 && yamuxMaxFrame <= 16 * 1024 * 1024, "yamuxMaxFrame must be 1 KiB..16 MiB");
    require(
        streamWriteBufferLowWaterMark >= 0 && streamWriteBufferLowWaterMark < streamWriteBufferHighWaterMark,
        "stream write-buffer low-water mark must be below the high-water mark");
    require(eventLoopThreads >= 0, "eventLoopThreads must not be negative");
    require(maxInboundStreamsPerSecond > 0, "maxInboundStreamsPerSecond must be positive");
    require(connectionReceiveBudget >= 0, "connectionReceiveBudget must not be negative");
    require(!handshakeTimeout.isNegative() && !handshakeTimeout.isZero(), "handshakeTimeout must be positive");
  }

  private static void require(final boolean condition, final String message) {
    if (!condition) {
      throw new IllegalArgumentException(message);
    }
  }

  public static Builder builder(final PrivKey identity) {
    return new Builder(identity);
  }

  /** A config with a fresh Ed25519 identity listening on {@code /ip4/127.0.0.1/tcp/0}. */
  public static HostConfig loopback() {
    return builder(Keys.generate(KeyType.ED25519)).listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0")).build();
  }

  public Builder toBuilder() {
    return new Builder(identity)
        .listenAddresses(listenAddresses)
        .agentVersion(agentVersion)
        .protocolVersion(protocolVersion)
        .maxConnections(maxConnections)
        .maxStreamsPerConnection(maxStreamsPerConnection)
        .maxNegotiatingStreams(maxNegotiatingStreams)
        .handshakeTimeout(handshakeTimeout)
        .streamNegotiationTimeout(streamNegotiationTimeout)
        .idleTimeout(idleTimeout)
        .keepAliveInterval(keepAliveInterval)
        .dialBackoff(dialBackoffBase, dialBackoffMax)
        .yamuxReceiveWindow(yamuxReceiveWindow)
        .yamuxMaxFrame(yamuxMaxFrame)
        .streamWriteBufferWaterMarks(streamWriteBufferLowWaterMark, streamWriteBufferHighWaterMark)
        .eventLoopThreads(eventLoopThreads)
        .maxInboundStreamsPerSecond(maxInboundStreamsPerSecond)
        .connectionReceiveBudget(connectionReceiveBudget);
  }

  /** Builder with the defaults documented on {@link HostConfig}. */
  public static final class Builder {
    private final PrivKey identity;
    private List<Multiaddr> listenAddresses = List.of();
    private String agentVersion = "tensorlink/0.1.0";
    private String protocolVersion = "ipfs/0.1.0";
    private int maxConnections = 256;
    private int maxStreamsPerConnection = 1024;
    private int maxNegotiatingStreams = 64;
    private Duration handshakeTimeout = Duration.ofSeconds(10);
    private Duration streamNegotiationTimeout = Duration.ofSeconds(10);
    private Duration idleTimeout = Duration.ofMinutes(5);
    private Duration keepAliveInterval = Duration.ofSeconds(15);
    private Duration dialBackoffBase = Duration.ofSeconds(1);
    private Duration dialBackoffMax = Duration.ofMinutes(5);
    private int yamuxReceiveWindow = 16 * 1024 * 1024;
    private int yamuxMaxFrame = 256 * 1024;
    private int highWaterMark = 4 * 1024 * 1024;
    private int lowWaterMark = 1024 * 1024;
    private int eventLoopThreads = 0;
    private int maxInboundStreamsPerSecond = 256;
    private long connectionReceiveBudget = 64L * 1024 * 1024;

    private Builder(final PrivKey identity) {
      this.identity = identity;
    }

    public Builder listen(final Multiaddr address) {
      final List<Multiaddr> out = new java.util.ArrayList<>(listenAddresses);
      out.add(address);
      listenAddresses = out;
      return this;
    }

    public Builder listenAddresses(final List<Multiaddr> addresses) {
      listenAddresses = List.copyOf(addresses);
      return this;
    }

    public Builder agentVersion(final String value) {
      agentVersion = value;
      return this;
    }

    public Builder protocolVersion(final String value) {
      protocolVersion = value;
      return this;
    }

    public Builder maxConnections(final int value) {
      maxConnections = value;
      return this;
    }

    public Builder maxStreamsPerConnection(final int value) {
      maxStreamsPerConnection = value;
      return this;
    }

    public Builder maxNegotiatingStreams(final int value) {
      maxNegotiatingStreams = value;
      return this;
    }

    public Builder handshakeTimeout(final Duration value) {
      handshakeTimeout = value;
      return this;
    }

    public Builder streamNegotiationTimeout(final Duration value) {
      streamNegotiationTimeout = value;
      return this;
    }

    public Builder idleTimeout(final Duration value) {
      idleTimeout = value;
      return this;
    }

    public Builder keepAliveInterval(final Duration value) {
      keepAliveInterval = value;
      return this;
    }

    public Builder dialBackoff(final Duration base, final Duration max) {
      dialBackoffBase = base;
      dialBackoffMax = max;
      return this;
    }

    public Builder yamuxReceiveWindow(final int value) {
      yamuxReceiveWindow = value;
      return this;
    }

    public Builder yamuxMaxFrame(final int value) {
      yamuxMaxFrame = value;
      return this;
    }

    public Builder streamWriteBufferWaterMarks(final int low, final int high) {
      lowWaterMark = low;
      highWaterMark = high;
      return this;
    }

    public Builder eventLoopThreads(final int value) {
      eventLoopThreads = value;
      return this;
    }

    public Builder maxInboundStreamsPerSecond(final int value) {
      maxInboundStreamsPerSecond = value;
      return this;
    }

    public Builder connectionReceiveBudget(final long value) {
      connectionReceiveBudget = value;
      return this;
    }

    public HostConfig build() {
      return new HostConfig(
          identity,
          listenAddresses,
          agentVersion,
          protocolVersion,
          maxConnections,
          maxStreamsPerConnection,
          maxNegotiatingStreams,
          handshakeTimeout,
          streamNegotiationTimeout,
          idleTimeout,
          keepAliveInterval,
          dialBackoffBase,
          dialBackoffMax,
          yamuxReceiveWindow,
          yamuxMaxFrame,
          highWaterMark,
          lowWaterMark,
          eventLoopThreads,
          maxInboundStreamsPerSecond,
          connectionReceiveBudget);
    }
  }
}
