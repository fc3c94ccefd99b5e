package io.tensorlink.chain.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tensorlink.chain.pol.EthAddress;
import io.tensorlink.chain.pol.PolDomain;
import io.tensorlink.chain.pol.wire.PolCodec;
import io.tensorlink.chain.validator.AnvilSuiteAccess;
import io.tensorlink.chain.validator.PolTransport;
import io.tensorlink.chain.validator.SignedTestProtocol;
import io.tensorlink.chain.validator.ValidatorConfig;
import io.tensorlink.contracts.SuiteContract;
import io.tensorlink.p2p.crypto.KeyType;
import io.tensorlink.p2p.crypto.Keys;
import io.tensorlink.p2p.host.Host;
import io.tensorlink.p2p.host.HostConfig;
import io.tensorlink.p2p.multiaddr.Multiaddr;
import io.tensorlink.p2p.pubsub.Gossipsub;
import io.tensorlink.p2p.pubsub.GossipsubConfig;
import io.tensorlink.p2p.transport.Hosts;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.tuweni.bytes.Bytes;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Credentials;

/**
 * A standalone node with the validator role on a real anvil: it follows the chain from its store's
 * cursor, collects signed records over the node's own gossip, anchors the job's first block as the
 * only active validator, and serves {@code tl_polBlock}, {@code tl_verifyRecord} and its counters;
 * restarted on the same data dir, it answers from what it stored.
 */
class ValidatorRoleTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration WAIT = Duration.ofSeconds(60);

  @AutoClose private static AnvilSuiteAccess chain;
  private static Credentials validator;
  private static PolDomain domain;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void stake() throws Exception {
    chain = AnvilSuiteAccess.start();
    validator = chain.account(1);
    chain.stakeValidator(validator);
    chain.stakeWorker(chain.account(4));
    chain.stakeWorker(chain.account(5));
    chain.nextEpoch();
    domain = PolDomain.of(chain.deployment().chainId(), EthAddress.of(chain.deployment().address(SuiteContract.POL_ANCHOR)));
  }

  @Test
  void aValidatorNodeAnchorsABlockAndServesItOverJsonRpc(@TempDir final Path dir) throws Exception {
    final Credentials stage0 = chain.account(4);
    final Credentials stage1 = chain.account(5);
    final BigInteger jobId;
    final String blockHash;
    try (StandaloneNode node = StandaloneNode.start(config(dir));
        Host host = Hosts.create(HostConfig.loopback())) {
      host.start().orTimeout(10, TimeUnit.SECONDS).join();
      try (Gossipsub gossip = new Gossipsub(host, GossipsubConfig.builder().heartbeatInterval(Duration.ofMillis(100)).build())
          .start()) {
        host.dial(node.listenAddresses().get(0)).orTimeout(10, TimeUnit.SECONDS).join();
        jobId = chain.createAssignedJob(chain.account(0), List.of(stage0, stage1));
        final String topic = PolTransport.stepsTopic(jobId);
        gossip.subscribe(topic, m -> {}).join();
        waitUntil(() -> gossip.topicPeers(topic).join().contains(node.host().peerId()), "the node on the job's steps topic");
        for (long step = 0; step < 4; step++) {
          gossip.publish(topic, SignedTestProtocol.record(domain, jobId, step, 0, stage0, false)).join();
          gossip.publish(topic, SignedTestProtocol.record(domain, jobId, step, 1, stage1, false)).join();
        }
        waitUntil(() -> rpc(node, "tl_jobStatus", hex(jobId)).path("result").path("anchoredBlocks").asText().equals("0x1"),
            "block 0 anchored");
      }
      final JsonNode block = rpc(node, "tl_polBlock", hex(jobId), "0x0").path("result");
      blockHash = block.path("blockHash").asText();
      assertThat(block.path("stepFrom").asText()).isEqualTo("0x0");
      assertThat(block.path("stepTo").asText()).isEqualTo("0x4");
      assertThat(block.path("signers")).extracting(JsonNode::asText).containsExactly(validator.getAddress().toLowerCase());
      assertThat(block.path("transactionHash").asText()).startsWith("0x").hasSize(66);
      assertThat(blockHash).isEqualTo(rpc(node, "tl_jobStatus", hex(jobId)).path("result").path("lastBlockHash").asText());
      assertThat(rpc(node, "tl_polBlock", hex(jobId), "0x1").path("result").isNull()).as("not anchored").isTrue();

      // the records it keeps, for `job result` and `job watch`
      final JsonNode records = rpc(node, "tl_jobRecords", hex(jobId), "0x1", "0x3").path("result");
      assertThat(records.path("stages").asText()).isEqualTo("0x2");
      assertThat(records.path("records")).hasSize(4);
      assertThat(records.path("records").get(0).path("worker").asText()).isEqualToIgnoringCase(stage0.getAddress());
      assertThat(rpc(node, "tl_jobRecords", hex(jobId.add(BigInteger.TEN)), "0x0", "0x1").path("result").isNull())
          .as("a job the node does not follow").isTrue();

      final JsonNode verdict = rpc(node, "tl_verifyRecord", hex(jobId), "0x1", "0x1", "0x0").path("result");
      assertThat(verdict.path("status").asText()).isEqualTo("valid");
      final byte[] wire = SignedTestProtocol.record(domain, jobId, 1, 1, stage1, false);
      assertThat(verdict.path("recordHash").asText()).isEqualTo(PolCodec.decodeSignedRecord(Bytes.wrap(wire)).leaf().toHexString());
      assertThat(rpc(node, "tl_verifyRecord", hex(jobId), "0x9", "0x0", "0x0").path("result").path("status").asText())
          .isEqualTo("unknown");

      final String metrics = get("http://127.0.0.1:" + node.metricsPort().orElseThrow() + "/metrics");
      assertThat(metrics).contains("tl_validator_blocks_anchored_total 1.0")
          .containsPattern("tl_validator_verifications_total\\{verdict=\"valid\"} [1-9]")
          .contains("tl_validator_disputes_opened_total 0.0").contains("tl_validator_votes_total 0.0");
    }
    // Restarted on its data dir: the block is answered from the store, and the chain is not replayed from block 0.
    try (StandaloneNode again = StandaloneNode.start(config(dir))) {
      assertThat(rpc(again, "tl_polBlock", hex(jobId), "0x0").path("result").path("blockHash").asText()).isEqualTo(blockHash);
      final String metrics = get("http://127.0.0.1:" + again.metricsPort().orElseThrow() + "/metrics");
      assertThat(metrics).contains("tl_validator_blocks_anchored_total 0.0");
    }
  }

  @Test
  void badValidatorSetupsAreRefusedNamingWhatIsWrong(@TempDir final Path dir) {
    final SignedTestProtocol protocol = new SignedTestProtocol(Set.of());
    assertThatThrownBy(() -> new ValidatorRole.Inputs(chain.web3j(), chain.deployment(), protocol, protocol, Optional.empty(),
        ValidatorConfig.defaults(), Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tick must be positive");
    final NodeConfig validator = config(dir);
    assertThatThrownBy(() -> new NodeConfig(dir, EnumSet.of(Role.WORKER), validator.p2pKey(), validator.p2pListen(), List.of(),
        validator.rpcAddress(), Optional.empty(), validator.identity(), Map.of(), Duration.ofSeconds(1), validator.validator(),
        Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("without the validator role");
  }

  private static NodeConfig config(final Path dir) {
    final ValidatorRole.Inputs inputs = new ValidatorRole.Inputs(chain.web3j(), chain.deployment(), new SignedTestProtocol(Set.of()),
        new SignedTestProtocol(Set.of()), Optional.empty(), ValidatorConfig.defaults().withConfirmations(0)
            .withLeaderTimeout(Duration.ofSeconds(2)).withSubmitGrace(Duration.ofSeconds(1)), Duration.ofMillis(100));
    return new NodeConfig(dir, EnumSet.of(Role.VALIDATOR), Keys.generate(KeyType.ED25519), Multiaddr.parse("/ip4/127.0.0.1/tcp/0"),
        List.of(), new InetSocketAddress("127.0.0.1", 0), Optional.of(new InetSocketAddress("127.0.0.1", 0)),
        Optional.of(new NodeIdentity(validator, chain.deployment().chainId(), domain)), Map.of(), Duration.ofSeconds(1))
        .withValidator(inputs);
  }

  private static String hex(final BigInteger n) {
    return "0x" + n.toString(16);
  }

  private JsonNode rpc(final StandaloneNode node, final String method, final Object... params) {
    try {
      final String body = JSON.writeValueAsString(Map.of("jsonrpc", "2.0", "id", 1, "method", method, "params", List.of(params)));
      final HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.rpcAddress().getPort() + "/"))
          .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
          HttpResponse.BodyHandlers.ofString());
      return JSON.readTree(r.body());
    } catch (Exception e) {
      throw new AssertionError(method + " failed", e);
    }
  }

  private String get(final String url) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString()).body();
  }

  private static void waitUntil(final BooleanSupplier condition, final String what) throws InterruptedException {
    final long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + WAIT + " waiting for " + what);
      }
      Thread.sleep(100);
    }
  }
}
