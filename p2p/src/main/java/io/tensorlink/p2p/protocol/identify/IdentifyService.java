package io.tensorlink.p2p.protocol.identify;

import io.netty.buffer.ByteBuf;
import io.tensorlink.p2p.host.Connection;
import io.tensorlink.p2p.host.IdentifyInfo;
import io.tensorlink.p2p.host.Stream;
import io.tensorlink.p2p.host.StreamCollector;
import io.tensorlink.p2p.host.StreamHandler;
import io.tensorlink.p2p.peer.PeerId;
import io.tensorlink.p2p.util.MalformedInputException;
import io.tensorlink.p2p.util.Uvarint;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /ipfs/id/1.0.0} and {@code /ipfs/id/push/1.0.0}: answers identify requests with our
 * identity, protocols and addresses; asks every new peer; accepts pushes. A response whose public
 * key does not match the connection's authenticated peer is discarded.
 */
public final class IdentifyService {
  public static final String PROTOCOL = "/ipfs/id/1.0.0";
  public static final String PUSH_PROTOCOL = "/ipfs/id/push/1.0.0";
  private static final Logger LOG = LoggerFactory.getLogger(IdentifyService.class);
  private static final int MAX_WIRE = IdentifyCodec.MAX_MESSAGE + 2;

  private final Duration timeout;
  private final Function<Connection, IdentifyInfo> localInfo;
  private final BiConsumer<Connection, IdentifyInfo> onIdentified;
  private final Map<PeerId, IdentifyInfo> peers = new ConcurrentHashMap<>();

  /**
   * @param timeout how long a peer may take to answer (the stream is reset after that)
   * @param localInfo what we tell a peer on a given connection (observed address included)
   * @param onIdentified called on the connection's event loop with each accepted response
   */
  public IdentifyService(
      final Duration timeout,
      final Function<Connection, IdentifyInfo> localInfo,
      final BiConsumer<Connection, IdentifyInfo> onIdentified) {
    this.timeout = timeout;
    this.localInfo = localInfo;
    this.onIdentified = onIdentified;
  }

  public StreamHandler responder() {
    return this::sendOurs;
  }

  /** Tells the peer about our (changed) protocols and addresses over {@code /ipfs/id/push/1.0.0}. */
  public CompletableFuture<Void> push(final Connection connection) {
    return connection.newStream(PUSH_PROTOCOL).thenAccept(this::sendOurs);
  }

  private void sendOurs(final Stream stream) {
    final byte[] message = IdentifyCodec.encode(localInfo.apply(stream.connection()));
    final ByteBuf out = stream.alloc().buffer(message.length + 2);
    Uvarint.write(out, message.length);
    out.writeBytes(message);
    stream.write(out);
    stream.closeWrite();
    // We expect nothing back; discard whatever comes.
    stream.setListener((s, data) -> {});
  }

  public StreamHandler pushHandler() {
    return stream -> {
      stream.closeWrite(); // we never answer a push; half-close so the stream ends once the pusher's FIN arrives
      collect(stream).thenAccept(info -> accept(stream.connection(), info));
    };
  }

  /** Asks the peer on {@code connection}; completes with its (accepted) answer. */
  public CompletableFuture<IdentifyInfo> identify(final Connection connection) {
    return connection
        .newStream(PROTOCOL)
        .thenCompose(
            stream -> {
              stream.closeWrite();
              return collect(stream);
            })
        .thenApply(
            info -> {
              accept(connection, info);
              return info;
            });
  }

  public Optional<IdentifyInfo> info(final PeerId peer) {
    return Optional.ofNullable(peers.get(peer));
  }

  public void forget(final PeerId peer) {
    peers.remove(peer);
  }

  private CompletableFuture<IdentifyInfo> collect(final Stream stream) {
    final StreamCollector collector = new StreamCollector(MAX_WIRE);
    stream.setListener(collector);
    return stream.resetUnlessAnswered(collector.result(), timeout).thenApply(IdentifyService::parse);
  }

  static IdentifyInfo parse(final byte[] wire) {
    final int[] pos = {0};
    final long length = Uvarint.read(wire, pos);
    if (length != wire.length - pos[0]) {
      throw new MalformedInputException(
          "identify: length prefix says " + length + " bytes, stream carried " + (wire.length - pos[0]));
    }
    return IdentifyCodec.decode(Arrays.copyOfRange(wire, pos[0], wire.length));
  }

  private void accept(final Connection connection, final IdentifyInfo info) {
    if (info.publicKey().isPresent() && !connection.remotePeer().matches(info.publicKey().get())) {
      LOG.warn("identify from {} carries another peer's key; ignored", connection.remotePeer());
      return;
    }
    if (!connection.isOpen()) {
      return;
    }
    final IdentifyInfo accepted;
    if (info.signedPeerRecord().isPresent() && !info.signedPeerRecord().get().peerId().equals(connection.remotePeer())) {
      LOG.warn("identify from {} carries a signed record of {}; record dropped", connection.remotePeer(), info.signedPeerRecord().get().peerId());
      accepted = info.withoutSignedPeerRecord();
    } else {
      accepted = info;
    }
    peers.put(connection.remotePeer(), accepted);
    LOG.debug("identified {}: {} {}", connection.remotePeer(), info.agentVersion(), info.protocols());
    onIdentified.accept(connection, accepted);
  }
}
