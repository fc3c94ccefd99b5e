package io.tensorlink.p2p.protocol.autonat;

import io.tensorlink.p2p.host.Connection;
import io.tensorlink.p2p.host.DelimitedReader;
import io.tensorlink.p2p.host.Host;
import io.tensorlink.p2p.host.Stream;
import io.tensorlink.p2p.host.StreamHandler;
import io.tensorlink.p2p.multiaddr.Component;
import io.tensorlink.p2p.multiaddr.Multiaddr;
import io.tensorlink.p2p.multiaddr.Protocol;
import io.tensorlink.p2p.peer.PeerId;
import io.tensorlink.p2p.protocol.autonat.AutoNatMessage.DialResponse;
import io.tensorlink.p2p.protocol.autonat.AutoNatMessage.Status;
import io.tensorlink.p2p.util.MalformedInputException;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dial-back side of AutoNAT v1: a peer asks to be dialled at its addresses; we try them on a
 * fresh connection and say whether one worked. Defences, as the spec asks: the request must name
 * the peer on the stream; only TCP addresses whose IP is the one we observe for that peer are
 * dialled (we cannot be aimed at a third party); per-peer and global rate limits; at most {@link
 * AutoNatConfig#maxDialsPerRequest} addresses tried, one at a time. The dial-back connection is
 * closed as soon as it is up and its peer checked.
 */
public final class AutoNatServer implements StreamHandler {
  public static final String PROTOCOL = "/libp2p/autonat/1.0.0";
  private static final Logger LOG = LoggerFactory.getLogger(AutoNatServer.class);

  private final Host host;
  private final AutoNatConfig config;
  private final DialBackLimiter limiter;

  public AutoNatServer(final Host host, final AutoNatConfig config) {
    this(host, config, System::nanoTime);
  }

  AutoNatServer(final Host host, final AutoNatConfig config, final LongSupplier nanoClock) {
    this.host = host;
    this.config = config;
    this.limiter = new DialBackLimiter(config, nanoClock);
  }

  /** Registers the handler on the host. */
  public static AutoNatServer serve(final Host host, final AutoNatConfig config) {
    final AutoNatServer server = new AutoNatServer(host, config);
    host.setStreamHandler(PROTOCOL, server);
    return server;
  }

  @Override
  public void handle(final Stream stream) {
    stream.setListener(
        DelimitedReader.of(
            "autonat",
            AutoNatCodec.MAX_MESSAGE,
            (s, bytes) -> {
              if (!(AutoNatCodec.decode(bytes) instanceof AutoNatMessage.Dial dial)) {
                throw new MalformedInputException("autonat server received a DIAL_RESPONSE");
              }
              answer(s.connection(), dial).thenAccept(r -> reply(s, r));
            }));
  }

  /** The response to {@code dial} arriving on {@code connection}. */
  CompletableFuture<DialResponse> answer(final Connection connection, final AutoNatMessage.Dial dial) {
    final PeerId peer = connection.remotePeer();
    if (!dial.peer().equals(peer)) {
      return done(Status.E_BAD_REQUEST, "the dial request names " + dial.peer() + ", not the peer on the stream");
    }
    final byte[] observedIp = ipOf(connection.remoteAddress());
    if (observedIp == null) {
      return done(Status.E_DIAL_REFUSED, "the peer's observed address has no IP");
    }
    final List<Multiaddr> candidates =
        dial.addresses().stream().filter(a -> sameIpTcp(a, observedIp)).limit(config.maxDialsPerRequest()).toList();
    if (candidates.isEmpty()) {
      return done(Status.E_DIAL_REFUSED, "no TCP address with the observed IP " + connection.remoteAddress());
    }
    if (!limiter.tryAcquire(peer)) {
      return done(Status.E_DIAL_REFUSED, "rate limited");
    }
    return dialBack(peer, candidates, 0, "");
  }

  private CompletableFuture<DialResponse> dialBack(
      final PeerId peer, final List<Multiaddr> candidates, final int index, final String errors) {
    if (index >= candidates.size()) {
      return done(Status.E_DIAL_ERROR, "dial back failed:" + errors);
    }
    final Multiaddr address = candidates.get(index).withoutPeerId();
    return host.dial(address)
        .orTimeout(config.dialTimeout().toMillis(), TimeUnit.MILLISECONDS)
        .handle(
            (c, e) -> {
              if (c != null) {
                c.close();
              }
              if (e == null && c.remotePeer().equals(peer)) {
                return CompletableFuture.completedFuture(DialResponse.ok(address));
              }
              final String why = e != null ? rootMessage(e) : "reached " + c.remotePeer() + " instead";
              return dialBack(peer, candidates, index + 1, errors + " " + address + ": " + why + ";");
            })
        .thenCompose(f -> f);
  }

  private static String rootMessage(final Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }

  private static CompletableFuture<DialResponse> done(final Status status, final String text) {
    return CompletableFuture.completedFuture(DialResponse.failed(status, text.length() > AutoNatCodec.MAX_TEXT ? text.substring(0, AutoNatCodec.MAX_TEXT) : text));
  }

  private static void reply(final Stream stream, final DialResponse response) {
    if (response.status() != Status.OK) {
      LOG.debug("autonat: {} for {}: {}", response.status(), stream.remotePeer(), response.text());
    }
    write(stream, response);
    stream.closeWrite();
  }

  static void write(final Stream stream, final AutoNatMessage message) {
    DelimitedReader.write(stream, AutoNatCodec.encode(message));
  }

  private static byte[] ipOf(final Multiaddr address) {
    final List<Component> parts = address.components();
    if (parts.isEmpty() || (parts.get(0).protocol() != Protocol.IP4 && parts.get(0).protocol() != Protocol.IP6)) {
      return null;
    }
    return parts.get(0).value();
  }

  private static boolean sameIpTcp(final Multiaddr address, final byte[] ip) {
    final List<Component> parts = address.components();
    return parts.size() >= 2
        && parts.get(1).protocol() == Protocol.TCP
        && Arrays.equals(ipOf(address), ip);
  }
}
