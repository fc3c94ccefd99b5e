package io.tensorlink.chain.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class TlRpcMethodsTest {
  static final String HASH = "0x" + "ab".repeat(32);

  /** A node with one job and one anchored block. */
  static final TlNode NODE = new TlNode() {
    @Override
    public NodeInfo nodeInfo() {
      return new NodeInfo("0.1.0", "standalone", "0x70997970c51812dc3a010c7d01b50e0d17dc79c8", "12D3KooW", List.of("validator"),
          7701, 42, new TreeMap<>(Map.of("PoLAnchor", "0x5fbdb2315678afecb367f032d93f642f64180aa3")));
    }

    @Override
    public Optional<JobStatus> jobStatus(final BigInteger jobId) {
      return jobId.equals(BigInteger.ONE) ? Optional.of(new JobStatus(jobId, "Active", 1, 10, HASH)) : Optional.empty();
    }

    @Override
    public Optional<PolBlockView> polBlock(final BigInteger jobId, final long index) {
      if (!jobId.equals(BigInteger.ONE) || index != 0) {
        return Optional.empty();
      }
      final String z = "0x" + "00".repeat(32);
      return Optional.of(new PolBlockView(new PolBlockView.Header(jobId, 0, z, 0, 10, z, z, z, HASH, 40), HASH, List.of("0x01"), 41, HASH));
    }

    @Override
    public List<PeerInfo> peers() {
      return List.of(new PeerInfo("12D3KooWpeer", null, List.of("/ip4/127.0.0.1/tcp/30400"), List.of("/ip4/127.0.0.1/tcp/30400"), List.of("worker")));
    }

    @Override
    public RecordVerdict verifyRecord(final RecordRef record) {
      return record.step() == 7 ? new RecordVerdict(RecordVerdict.Status.VALID, HASH, null)
          : new RecordVerdict(RecordVerdict.Status.UNKNOWN, null, "no such record here");
    }
  };

  private final TlRpcMethods methods = new TlRpcMethods(NODE);

  @Test
  void answersArePlainJsonValuesWithHexQuantities() {
    assertThat(methods.call("nodeInfo", List.of())).isEqualTo(Map.of("version", "0.1.0", "host", "standalone",
        "account", "0x70997970c51812dc3a010c7d01b50e0d17dc79c8", "peerId", "12D3KooW", "roles", List.of("validator"),
        "chainId", "0x1e15", "headBlock", "0x2a", "contracts", Map.of("PoLAnchor", "0x5fbdb2315678afecb367f032d93f642f64180aa3")));
    assertThat(methods.call("jobStatus", List.of("0x1"))).isEqualTo(Map.of("jobId", "0x1", "state", "Active",
        "anchoredBlocks", "0x1", "nextStep", "0xa", "lastBlockHash", HASH));
    assertThat(methods.call("jobStatus", List.of(1))).isEqualTo(methods.call("jobStatus", List.of("1")));
    assertThat(methods.call("jobStatus", List.of("0x2"))).isNull();
    @SuppressWarnings("unchecked")
    final Map<String, Object> block = (Map<String, Object>) methods.call("polBlock", List.of("0x1", "0x0"));
    assertThat(block).containsEntry("randomnessBlock", "0x28").containsEntry("anchoredIn", "0x29");
    assertThat(methods.call("polBlock", List.of("0x1", "0x5"))).isNull();
    assertThat(methods.call("peers", List.of())).isEqualTo(List.of(
        map("peerId", "12D3KooWpeer", "account", null, "addresses", List.of("/ip4/127.0.0.1/tcp/30400"), "connections", List.of("/ip4/127.0.0.1/tcp/30400"), "roles", List.of("worker"))));
    assertThat(methods.call("verifyRecord", List.of("0x1", "0x7", "0x0", "0x0"))).isEqualTo(map("status", "valid", "recordHash", HASH, "reason", null));
    assertThat(methods.call("verifyRecord", List.of("0x1", "0x8", "0x0", "0x0")))
        .isEqualTo(map("status", "unknown", "recordHash", null, "reason", "no such record here"));
  }

  @Test
  void badCallsAreJsonRpcErrorsNamingTheProblem() {
    assertThat(error(() -> methods.call("nope", List.of()))).isEqualTo("-32601 no method tl_nope");
    assertThat(error(() -> methods.call("jobStatus", List.of()))).isEqualTo("-32602 tl_jobStatus takes 1 parameter(s) [jobId], got 0");
    assertThat(error(() -> methods.call("jobStatus", List.of("0xzz")))).startsWith("-32602 jobId: expected a quantity");
    assertThat(error(() -> methods.call("jobStatus", List.of(-1)))).startsWith("-32602 jobId: must be a uint256");
    assertThat(error(() -> methods.call("polBlock", List.of("0x1", "0x" + "f".repeat(17))))).startsWith("-32602 index: must be at most");
    assertThat(error(() -> methods.call("verifyRecord", List.of("0x1", "0x1", true, "0x0")))).isEqualTo("-32602 stage: expected a quantity (0x-hex or decimal), got Boolean true");
  }

  @Test
  void theHttpTransportServesTheSameAnswers() throws Exception {
    final ObjectMapper json = new ObjectMapper();
    try (TlJsonRpcServer server = TlJsonRpcServer.start(methods, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
      final HttpClient http = HttpClient.newHttpClient();
      for (List<Object> call : List.<List<Object>>of(List.of("tl_nodeInfo"), List.of("tl_jobStatus", "0x1"), List.of("tl_polBlock", "0x1", "0x0"),
          List.of("tl_peers"), List.of("tl_verifyRecord", "0x1", "0x7", "0x0", "0x0"))) {
        final String body = json.writeValueAsString(Map.of("jsonrpc", "2.0", "id", 7, "method", call.get(0), "params", call.subList(1, call.size())));
        final HttpResponse<String> res = http.send(HttpRequest.newBuilder(URI.create("http://" + server.address().getHostString() + ":"
            + server.address().getPort() + "/")).POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        final JsonNode reply = json.readTree(res.body());
        assertThat(reply.get("id").asInt()).isEqualTo(7);
        assertThat(reply.get("result")).isEqualTo(json.valueToTree(methods.call(((String) call.get(0)).substring(3), call.subList(1, call.size()))));
      }
      assertThat(json.readTree(server.answer("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tl_jobStatus\",\"params\":[\"x\"]}".getBytes()))
          .get("error").get("code").asInt()).isEqualTo(-32602);
      assertThat(json.readTree(server.answer("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_chainId\"}".getBytes()))
          .get("error").get("code").asInt()).isEqualTo(-32601);
      assertThat(json.readTree(server.answer("not json".getBytes())).get("error").get("code").asInt()).isEqualTo(-32700);
    }
  }

  /** A map that, unlike Map.of, holds JSON nulls. */
  static Map<String, Object> map(final Object... kv) {
    final Map<String, Object> m = new java.util.LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  private static String error(final Runnable call) {
    try {
      call.run();
    } catch (TlRpcException e) {
      return e.code() + " " + e.getMessage();
    }
    throw new AssertionError("no error");
  }
}
