package io.tensorlink.cli.p2p;

import io.tensorlink.cli.support.Examples;
import io.tensorlink.cli.CliContext;
import io.tensorlink.cli.CliException;
import io.tensorlink.cli.ExitCodes;
import io.tensorlink.cli.TlCli;
import io.tensorlink.cli.config.ConfigKeys;
import io.tensorlink.p2p.crypto.KeyFile;
import io.tensorlink.p2p.crypto.KeyType;
import io.tensorlink.p2p.crypto.Keys;
import io.tensorlink.p2p.crypto.PrivKey;
import io.tensorlink.p2p.host.Connection;
import io.tensorlink.p2p.host.ConnectionListener;
import io.tensorlink.p2p.host.Host;
import io.tensorlink.p2p.host.HostConfig;
import io.tensorlink.p2p.host.IdentifyInfo;
import io.tensorlink.p2p.multiaddr.Multiaddr;
import io.tensorlink.p2p.peer.PeerId;
import io.tensorlink.p2p.pubsub.Gossipsub;
import io.tensorlink.p2p.pubsub.GossipsubConfig;
import io.tensorlink.p2p.pubsub.PublishResult;
import io.tensorlink.p2p.pubsub.ReceivedMessage;
import io.tensorlink.p2p.pubsub.ScoreEvent;
import io.tensorlink.p2p.pubsub.score.ScoreBreakdown;
import io.tensorlink.p2p.transport.Hosts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import io.tensorlink.cli.support.PortConverter;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tl-cli p2p id|listen|ping|pub|sub|peers}: the libp2p node from the command line, printing JSON
 * lines (one {@code event} per line). {@code id}, {@code listen} and {@code sub} use the node key in
 * the data dir ({@code p2p-identity.key}, created on first use); {@code ping} and {@code pub} are
 * short-lived clients and use a throw-away key, so they can run beside a node of the same data dir.
 */
@Command(name = "p2p", mixinStandardHelpOptions = true, footerHeading = Examples.HEADING, footer = {"  tl-cli p2p id", "  tl-cli p2p listen --port 4001"}, description = "libp2p node tools: identity, listen, ping, gossip publish/subscribe (JSON lines).")
public final class P2pCommand {
  private static final HexFormat HEX = HexFormat.of();
  private static final Duration DIAL_TIMEOUT = Duration.ofSeconds(10);

  @Spec CommandSpec spec;

  @Command(name = "id", mixinStandardHelpOptions = true, footerHeading = Examples.HEADING, footer = {"  tl-cli p2p id"}, description = "Print this node's peer ID and the multiaddrs it would listen on.")
  int id(
      @Option(names = "--port", paramLabel = "<port>", converter = PortConverter.class, description = "TCP port (default: config key p2p.port).")
          final Integer portFlag) {
    final CliContext ctx = TlCli.context(spec);
    final int port = listenPort(ctx, portFlag);
    final PrivKey key = nodeKey(ctx);
    final PeerId peer = PeerId.fromPublicKey(key.publicKey());
    new JsonLines(ctx.out()).event("id",
        "peerId", peer.toBase58(),
        "keyType", key.type().name().toLowerCase(Locale.ROOT),
        "keyFile", keyPath(ctx).toString(),
        "multiaddrs", List.of(listenAddress("0.0.0.0", port).withPeerId(peer).toString()));
    return ExitCodes.OK;
  }

  @Command(name = "listen", mixinStandardHelpOptions = true, footerHeading = Examples.HEADING, footer = {"  tl-cli p2p listen --port 4001", "  tl-cli p2p listen --port 0 --duration 60"}, description = "Run a node until killed (or --duration), printing connections and identify results.")
  int listen(
      @Option(names = "--port", paramLabel = "<port>", converter = PortConverter.class, description = "TCP port, 0 for any free one (default: config key p2p.port).")
          final Integer portFlag,
      @Option(names = "--host", defaultValue = "127.0.0.1", paramLabel = "<ip4>", description = "Interface (default ${DEFAULT-VALUE}).")
          final String ip,
      @Option(names = "--duration", defaultValue = "0", paramLabel = "<seconds>", description = "Stop after this long (0: run until killed).")
          final long seconds) {
    final CliContext ctx = TlCli.context(spec);
    final JsonLines out = new JsonLines(ctx.out());
    try (Host host = startHost(nodeKey(ctx), ip, listenPort(ctx, portFlag), out)) {
      host.addConnectionListener(printingListener(out));
      waitFor(new CountDownLatch(1), seconds);
    }
    return ExitCodes.OK;
  }

  @Command(name = "ping", mixinStandardHelpOptions = true, footerHeading = Examples.HEADING, footer = {"  tl-cli p2p ping /ip4/127.0.0.1/tcp/4001/p2p/12D3KooW..."}, description = "Dial a peer and ping it.")
  int ping(
      @Parameters(paramLabel = "<multiaddr>", description = "e.g. /ip4/127.0.0.1/tcp/4001/p2p/12D3KooW…") final String address,
      @Option(names = "--count", defaultValue = "3", paramLabel = "<n>", description = "Pings to send (default ${DEFAULT-VALUE}).")
          final int count) {
    final Multiaddr target = parseTarget(address);
    final JsonLines out = new JsonLines(TlCli.context(spec).out());
    try (Host host = startHost(Keys.generate(KeyType.ED25519), null, 0, null)) {
      final PeerId peer = dial(host, target);
      for (int i = 0; i < count; i++) {
        final Duration rtt = await(host.ping(peer), "ping " + peer);
        out.event("pong", "peerId", peer.toBase58(), "seq", i + 1, "rttMs", rtt.toNanos() / 1e6);
      }
    }
    return ExitCodes.OK;
  }

  @Command(name = "pub", mixinStandardHelpOptions = true, footerHeading = Examples.HEADING, footer = {"  tl-cli p2p pub /ip4/127.0.0.1/tcp/4001/p2p/12D3KooW... jobs hello"}, description = "Dial a peer, wait until it subscribes to the topic, publish one message.")
  int pub(
      @Parameters(index = "0", paramLabel = "<multiaddr>", description = "A peer subscribed to the topic.") final String address,
      @Parameters(index = "1", paramLabel = "<topic>", description = "Gossip topic.") final String topic,
      @Parameters(index = "2", paramLabel = "<message>", description = "Message text (UTF-8).") final String message,
      @Option(names = "--wait", defaultValue = "10", paramLabel = "<seconds>", description = "How long to wait for the peer's subscription (default ${DEFAULT-VALUE}).")
          final long waitSeconds) {
    final Multiaddr target = parseTarget(address);
    final JsonLines out = new JsonLines(TlCli.context(spec).out());
    try (Host host = startHost(Keys.generate(KeyType.ED25519), null, 0, null);
        Gossipsub gossip = new Gossipsub(host, GossipsubConfig.defaults()).start()) {
      final PeerId peer = dial(host, target);
      final long deadline = System.nanoTime() + Duration.ofSeconds(waitSeconds).toNanos();
      while (!gossip.topicPeers(topic).join().contains(peer)) {
        if (System.nanoTime() > deadline) {
          throw new CliException(peer + " did not subscribe to '" + topic + "' within " + waitSeconds + " s");
        }
        sleep(Duration.ofMillis(20));
      }
      final PublishResult result = gossip.publish(topic, message.getBytes(StandardCharsets.UTF_8)).join();
      out.event("published", "topic", topic, "messageId", HEX.formatHex(result.messageId().toByteArray()),
          "recipients", result.recipients());
      sleep(Duration.ofMillis(200)); // let the RPC leave before the connection closes
    }
    return ExitCodes.OK;
  }

  @Command(name = "sub", mixinStandardHelpOptions = true, footerHeading = Examples.HEADING, footer = {"  tl-cli p2p sub --port 4001 jobs", "  tl-cli p2p sub --port 0 --count 1 jobs"}, description = "Run a node subscribed to a topic, printing every message (until killed, --count or --duration).")
  int sub(
      @Option(names = "--port", paramLabel = "<port>", converter = PortConverter.class, description = "TCP port, 0 for any free one (default: config key p2p.port).")
          final Integer portFlag,
      @Option(names = "--host", defaultValue = "127.0.0.1", paramLabel = "<ip4>", description = "Interface (default ${DEFAULT-VALUE}).")
          final String ip,
      @Option(names = "--count", defaultValue = "0", paramLabel = "<n>", description = "Exit after this many messages (0: no limit).")
          final int count,
      @Option(names = "--duration", defaultValue = "0", paramLabel = "<seconds>", description = "Stop after this long (0: no limit).")
          final long seconds,
      @Parameters(paramLabel = "<topic>", description = "Gossip topic.") final String topic) {
    final CliContext ctx = TlCli.context(spec);
    final JsonLines out = new JsonLines(ctx.out());
    final CountDownLatch done = new CountDownLatch(count > 0 ? count : Integer.MAX_VALUE);
    try (Host host = startHost(nodeKey(ctx), ip, listenPort(ctx, portFlag), out);
        Gossipsub gossip = new Gossipsub(host, GossipsubConfig.defaults()).start()) {
      host.addConnectionListener(printingListener(out));
      gossip.onScoreEvent(e -> printScoreEvent(out, e)).join();
      gossip.subscribe(topic, m -> {
        printMessage(out, m);
        done.countDown();
      }).join();
      out.event("subscribed", "topic", topic);
      waitFor(done, seconds);
    }
    return ExitCodes.OK;
  }

  @Command(name = "peers", mixinStandardHelpOptions = true, footerHeading = Examples.HEADING,
      footer = {"  tl-cli p2p peers /ip4/127.0.0.1/tcp/4001/p2p/12D3KooW... --topic /tl/jobs/1 --duration 10"}, description = "Run a node for a while (dialling the given peers, subscribed to --topic), then print every connected peer with its gossipsub score.")
  int peers(
      @Parameters(arity = "0..*", paramLabel = "<multiaddr>", description = "Peers to dial.") final List<String> addresses,
      @Option(names = "--topic", paramLabel = "<topic>", description = "Gossip topic to join, so that scores can form.") final String topic,
      @Option(names = "--port", defaultValue = "0", paramLabel = "<port>", converter = PortConverter.class, description = "TCP port (default: any free port).") final int port,
      @Option(names = "--duration", defaultValue = "5", paramLabel = "<seconds>", description = "How long to run before printing (default ${DEFAULT-VALUE}).")
          final long seconds) {
    final List<Multiaddr> targets = addresses == null ? List.of() : addresses.stream().map(P2pCommand::parseTarget).toList();
    final CliContext ctx = TlCli.context(spec);
    final JsonLines out = new JsonLines(ctx.out());
    try (Host host = startHost(nodeKey(ctx), "127.0.0.1", port, out);
        Gossipsub gossip = new Gossipsub(host, GossipsubConfig.defaults()).start()) {
      gossip.onScoreEvent(e -> printScoreEvent(out, e)).join();
      if (topic != null) {
        gossip.subscribe(topic, m -> { }).join();
      }
      targets.forEach(t -> dial(host, t));
      waitFor(new CountDownLatch(1), seconds);
      final Map<PeerId, ScoreBreakdown> scores = gossip.scores().join();
      for (final Connection c : host.connections()) {
        final ScoreBreakdown s = scores.getOrDefault(c.remotePeer(), ScoreBreakdown.ZERO);
        out.event("peer", "peerId", c.remotePeer().toBase58(), "addr", c.remoteAddress().toString(),
            "direction", c.isInitiator() ? "outbound" : "inbound", "gossipsub", scores.containsKey(c.remotePeer()),
            "score", s.total(), "parts", Map.of("p1", s.p1(), "p2", s.p2(), "p3", s.p3(), "p3b", s.p3b(),
                "p4", s.p4(), "p5", s.p5(), "p6", s.p6(), "p7", s.p7()));
      }
    }
    return ExitCodes.OK;
  }

  // ------------------------------------------------------------------------------ helpers

  /** --port, else p2p.port / TL_P2P_PORT / config.properties (default 0: any free port). */
  private static int listenPort(final CliContext ctx, final Integer flag) {
    return flag != null ? flag : ctx.config().get(ConfigKeys.P2P_PORT);
  }

  /** {@code graylisted} / {@code ungraylisted} / {@code pruned_for_score}. */
  private static void printScoreEvent(final JsonLines out, final ScoreEvent e) {
    out.event(e.kind().name().toLowerCase(Locale.ROOT), "peerId", e.peer().toBase58(), "score", e.score(), "topic", e.topic());
  }

  private static void printMessage(final JsonLines out, final ReceivedMessage m) {
    final byte[] data = m.data().toByteArray();
    out.event("message",
        "topic", m.topic(),
        "from", m.author().toBase58(),
        "seqno", m.seqno(),
        "data", new String(data, StandardCharsets.UTF_8),
        "dataHex", HEX.formatHex(data),
        "messageId", HEX.formatHex(m.messageId().toByteArray()),
        "receivedFrom", m.receivedFrom().toBase58());
  }

  private static ConnectionListener printingListener(final JsonLines out) {
    return new ConnectionListener() {
      @Override
      public void onConnected(final Connection c) {
        out.event("connected", "peerId", c.remotePeer().toBase58(), "addr", c.remoteAddress().toString(),
            "direction", c.isInitiator() ? "outbound" : "inbound");
      }

      @Override
      public void onIdentified(final Connection c, final IdentifyInfo info) {
        out.event("identified", "peerId", c.remotePeer().toBase58(), "agentVersion", info.agentVersion(),
            "protocols", info.protocols());
      }

      @Override
      public void onDisconnected(final Connection c) {
        out.event("disconnected", "peerId", c.remotePeer().toBase58());
      }
    };
  }

  /** Starts a host; with {@code out}, prints its {@code listening} line. {@code ip == null}: dial only. */
  private static Host startHost(final PrivKey key, final String ip, final int port, final JsonLines out) {
    if (port < 0 || port > 65535) {
      throw new CliException("--port must be 0..65535, got " + port, ExitCodes.USAGE);
    }
    final HostConfig.Builder config = HostConfig.builder(key);
    if (ip != null) {
      config.listen(listenAddress(ip, port));
    }
    final Host host = Hosts.create(config.build());
    try {
      final List<Multiaddr> bound = await(host.start(), "listening on " + ip + ":" + port);
      if (out != null) {
        out.event("listening", "peerId", host.peerId().toBase58(),
            "addrs", bound.stream().map(a -> a.withPeerId(host.peerId()).toString()).toList());
      }
      return host;
    } catch (final RuntimeException e) {
      host.close();
      throw e;
    }
  }

  private static Multiaddr listenAddress(final String ip, final int port) {
    try {
      return Multiaddr.parse("/ip4/" + ip + "/tcp/" + port);
    } catch (final IllegalArgumentException e) {
      throw new CliException("bad listen address " + ip + ":" + port + ": " + e.getMessage(), ExitCodes.USAGE);
    }
  }

  private static Multiaddr parseTarget(final String text) {
    final Multiaddr address;
    try {
      address = Multiaddr.parse(text);
    } catch (final IllegalArgumentException e) {
      throw new CliException("'" + text + "' is not a multiaddr: " + e.getMessage(), ExitCodes.USAGE);
    }
    if (address.peerId().isEmpty()) {
      throw new CliException("'" + text + "' has no /p2p/<peer id>; the peer's identity is required", ExitCodes.USAGE);
    }
    return address;
  }

  private static PeerId dial(final Host host, final Multiaddr target) {
    final Connection c = await(host.dial(target).orTimeout(DIAL_TIMEOUT.toSeconds(), TimeUnit.SECONDS), "dialing " + target);
    return c.remotePeer();
  }

  private static <T> T await(final CompletableFuture<T> future, final String what) {
    try {
      return future.orTimeout(30, TimeUnit.SECONDS).join();
    } catch (final CompletionException e) {
      final Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new CliException(what + " failed: " + (cause.getMessage() == null ? cause.toString() : cause.getMessage()));
    }
  }

  private static Path keyPath(final CliContext ctx) {
    return ctx.dataDir().resolve(KeyFile.DEFAULT_NAME);
  }

  /** The node's persistent libp2p identity in the data dir (created on first use). */
  public static PrivKey nodeKey(final CliContext ctx) {
    try {
      return KeyFile.loadOrCreate(keyPath(ctx), KeyType.ED25519);
    } catch (final IOException e) {
      throw new CliException("node key " + keyPath(ctx) + ": " + e.getMessage(), ExitCodes.CONFIG);
    }
  }

  private static void waitFor(final CountDownLatch latch, final long seconds) {
    try {
      if (seconds > 0) {
        latch.await(seconds, TimeUnit.SECONDS);
      } else {
        latch.await();
      }
    } catch (final InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void sleep(final Duration d) {
    try {
      Thread.sleep(d);
    } catch (final InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException("interrupted");
    }
  }
}
