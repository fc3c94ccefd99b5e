package io.tensorlink.cli.p2p;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tensorlink.cli.CliContext;
import io.tensorlink.cli.CliRun;
import io.tensorlink.cli.ExitCodes;
import io.tensorlink.cli.TlCli;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** tl-cli p2p on real loopback TCP: a subscriber node in one invocation, clients in others. */
class P2pCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dataDir;
  @TempDir Path clientDir;

  @Test
  void idIsStableAcrossRunsBecauseTheKeyIsPersisted() throws Exception {
    final CliRun first = CliRun.run(dataDir, "p2p", "id");
    final CliRun second = CliRun.run(dataDir, "p2p", "id", "--port", "4100");
    assertThat(first.exitCode()).as(first.err()).isZero();

    final JsonNode a = JSON.readTree(first.out());
    final JsonNode b = JSON.readTree(second.out());
    assertThat(a.get("event").asText()).isEqualTo("id");
    assertThat(a.get("peerId").asText()).startsWith("12D3KooW").isEqualTo(b.get("peerId").asText());
    assertThat(a.get("keyFile").asText()).isEqualTo(dataDir.resolve("p2p-identity.key").toString());
    assertThat(b.get("multiaddrs").get(0).asText()).isEqualTo("/ip4/0.0.0.0/tcp/4100/p2p/" + b.get("peerId").asText());

    // Without --port, the p2p.port setting (here from TL_P2P_PORT) is the listen port.
    final JsonNode c = JSON.readTree(CliRun.run(dataDir, java.util.Map.of("TL_P2P_PORT", "4200"), "p2p", "id").out());
    assertThat(c.get("multiaddrs").get(0).asText()).startsWith("/ip4/0.0.0.0/tcp/4200/p2p/");
  }

  @Test
  void subReceivesWhatPubPublishesAndPingReachesIt() throws Exception {
    final LineQueue lines = new LineQueue();
    final CompletableFuture<Integer> sub = CompletableFuture.supplyAsync(() -> TlCli.execute(
        new String[] {"--data-dir=" + dataDir, "p2p", "sub", "--port", "0", "--count", "1", "--duration", "60", "/tl/jobs/1"},
        env(), new PrintWriter(lines), new PrintWriter(Writer.nullWriter())));
    final JsonNode listening = lines.next();
    assertThat(listening.get("event").asText()).isEqualTo("listening");
    final String address = listening.get("addrs").get(0).asText();
    assertThat(lines.next().get("event").asText()).isEqualTo("subscribed");

    final CliRun ping = CliRun.run(clientDir, "p2p", "ping", address, "--count", "2");
    assertThat(ping.exitCode()).as(ping.err()).isZero();
    assertThat(ping.out().lines().map(this::parse))
        .hasSize(2)
        .allSatisfy(p -> assertThat(p.get("rttMs").asDouble()).isPositive());

    final CliRun pub = CliRun.run(clientDir, "p2p", "pub", address, "/tl/jobs/1", "hello gossip");
    assertThat(pub.exitCode()).as(pub.err()).isZero();
    final JsonNode published = parse(pub.out().strip());
    assertThat(published.get("recipients").asInt()).isEqualTo(1);

    assertThat(sub.get(30, TimeUnit.SECONDS)).isZero();
    final JsonNode message = lines.nextEvent("message");
    assertThat(message.get("data").asText()).isEqualTo("hello gossip");
    assertThat(message.get("topic").asText()).isEqualTo("/tl/jobs/1");
    assertThat(message.get("messageId").asText()).isEqualTo(published.get("messageId").asText());
  }

  @Test
  void peersPrintsTheConnectedPeersWithTheirScores() throws Exception {
    final LineQueue lines = new LineQueue();
    final CompletableFuture<Integer> sub = CompletableFuture.supplyAsync(() -> TlCli.execute(
        new String[] {"--data-dir=" + dataDir, "p2p", "sub", "--port", "0", "--duration", "15", "/tl/jobs/1"},
        env(), new PrintWriter(lines), new PrintWriter(Writer.nullWriter())));
    final JsonNode listening = lines.next();
    final String address = listening.get("addrs").get(0).asText();

    final CliRun peers = CliRun.run(clientDir, "p2p", "peers", address, "--topic", "/tl/jobs/1", "--duration", "3");
    assertThat(peers.exitCode()).as(peers.err()).isZero();
    final JsonNode peer = peers.out().lines().map(this::parse)
        .filter(n -> n.get("event").asText().equals("peer")).findFirst().orElseThrow();
    assertThat(peer.get("peerId").asText()).isEqualTo(listening.get("peerId").asText());
    assertThat(peer.get("direction").asText()).isEqualTo("outbound");
    assertThat(peer.get("gossipsub").asBoolean()).isTrue();
    // Meshed for about two seconds: a small positive time-in-mesh (P1), nothing negative.
    assertThat(peer.get("score").asDouble()).isGreaterThanOrEqualTo(0);
    assertThat(peer.get("parts").get("p4").asDouble()).isZero();
    assertThat(sub.get(30, TimeUnit.SECONDS)).isZero();
  }

  @Test
  void listenPrintsItsAddressAndTheConnectionsItAccepts() throws Exception {
    final LineQueue lines = new LineQueue();
    final CompletableFuture<Integer> listen = CompletableFuture.supplyAsync(() -> TlCli.execute(
        new String[] {"--data-dir=" + dataDir, "p2p", "listen", "--port", "0", "--duration", "8"},
        env(), new PrintWriter(lines), new PrintWriter(Writer.nullWriter())));
    final JsonNode listening = lines.next();
    final String address = listening.get("addrs").get(0).asText();
    assertThat(address).startsWith("/ip4/127.0.0.1/tcp/").endsWith("/p2p/" + listening.get("peerId").asText());

    final CliRun ping = CliRun.run(clientDir, "p2p", "ping", address, "--count", "1");
    assertThat(ping.exitCode()).as(ping.err()).isZero();

    final JsonNode connected = lines.nextEvent("connected");
    assertThat(connected.get("direction").asText()).isEqualTo("inbound");
    final JsonNode identified = lines.nextEvent("identified");
    assertThat(identified.get("peerId").asText()).isEqualTo(connected.get("peerId").asText());
    assertThat(identified.get("protocols").toString()).contains("/ipfs/ping/1.0.0");
    assertThat(listen.get(30, TimeUnit.SECONDS)).isZero();
  }

  @Test
  void badAddressesAreUsageErrorsNamingTheProblem() {
    final CliRun notAddr = CliRun.run(clientDir, "p2p", "ping", "not-a-multiaddr");
    assertThat(notAddr.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(notAddr.err()).contains("'not-a-multiaddr' is not a multiaddr");

    final CliRun noPeer = CliRun.run(clientDir, "p2p", "pub", "/ip4/127.0.0.1/tcp/4001", "t", "m");
    assertThat(noPeer.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(noPeer.err()).contains("has no /p2p/<peer id>");
  }

  @Test
  void unreachablePeerFailsWithTheReason() throws Exception {
    final JsonNode id = JSON.readTree(CliRun.run(dataDir, "p2p", "id").out());
    // Nothing listens on port 1 of loopback.
    final CliRun ping = CliRun.run(clientDir, "p2p", "ping", "/ip4/127.0.0.1/tcp/1/p2p/" + id.get("peerId").asText());
    assertThat(ping.exitCode()).isEqualTo(ExitCodes.FAILURE);
    assertThat(ping.err()).contains("dialing /ip4/127.0.0.1/tcp/1");
  }

  private JsonNode parse(final String line) {
    try {
      return JSON.readTree(line);
    } catch (final Exception e) {
      throw new AssertionError("not a JSON line: " + line, e);
    }
  }

  private static Map<String, String> env() {
    return Map.of(CliContext.ENV_HOME, CliRun.repositoryRoot().toString());
  }

  /** A writer that turns printed lines into a queue of JSON objects the test can wait on. */
  private final class LineQueue extends Writer {
    private final BlockingQueue<String> queue = new LinkedBlockingQueue<>();
    private final StringBuilder pending = new StringBuilder();

    @Override
    public synchronized void write(final char[] buf, final int off, final int len) {
      for (int i = off; i < off + len; i++) {
        if (buf[i] == '\n') {
          queue.add(pending.toString());
          pending.setLength(0);
        } else {
          pending.append(buf[i]);
        }
      }
    }

    JsonNode next() throws InterruptedException {
      final String line = queue.poll(30, TimeUnit.SECONDS);
      assertThat(line).as("a line from tl-cli p2p sub within 30 s").isNotNull();
      return parse(line);
    }

    JsonNode nextEvent(final String event) throws InterruptedException {
      while (true) {
        final JsonNode n = next();
        if (n.get("event").asText().equals(event)) {
          return n;
        }
      }
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  }
}
