package io.tensorlink.besu.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tensorlink.besu.Fixtures;
import io.tensorlink.besu.StandInBesu;
import io.tensorlink.besu.anchor.AnchorState;
import io.tensorlink.besu.anchor.Head;
import io.tensorlink.besu.host.NodeHost;
import io.tensorlink.chain.rpc.TlJsonRpcServer;
import io.tensorlink.chain.rpc.TlRpcMethods;
import io.tensorlink.p2p.multiaddr.Multiaddr;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.hyperledger.besu.plugin.services.exception.PluginRpcEndpointException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The standalone transport (TlJsonRpcServer, as `tl-cli node` serves it) and the plugin's
 * transport (RpcBridge on a stand-in for Besu's RpcEndpointService) over one node state give the
 * same result or the same error for every call.
 */
class SameAnswersTest {
  @TempDir Path tmp;

  @Test
  void bothTransportsAnswerAlike() throws Exception {
    final AnchorState state = new AnchorState(Fixtures.ANCHOR, Fixtures.STAKE_MANAGER);
    Fixtures.KEYS.subList(0, 4).forEach(k -> state.apply(Fixtures.joined(k, Fixtures.STAKE, 1)));
    state.apply(Fixtures.anchored(Fixtures.header(0, Head.ZERO), Fixtures.KEYS.subList(0, 3), 2));
    state.onBlock(2);
    final NodeHost host = new NodeHost(new NodeHost.Settings(tmp, Optional.empty(), () -> new char[0], Set.of("observer"), 7701,
        Fixtures.ANCHOR, Multiaddr.parse("/ip4/127.0.0.1/tcp/0"), List.of(), Optional.empty(), "test"), state);
    host.start();
    final TlRpcMethods methods = new TlRpcMethods(host.node());
    final StandInBesu.Rpc besu = new StandInBesu.Rpc();
    RpcBridge.register(besu, () -> methods);
    final ObjectMapper json = new ObjectMapper();
    try (TlJsonRpcServer standalone = TlJsonRpcServer.start(methods, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
      final List<List<Object>> calls = List.of(List.of("tl_nodeInfo"), List.of("tl_jobStatus", "0x1"), List.of("tl_jobStatus", 9),
          List.of("tl_polBlock", "0x1", "0x0"), List.of("tl_polBlock", "1", "3"), List.of("tl_peers"),
          List.of("tl_verifyRecord", "0x1", "0x0", "0x0", "0x0"), List.of("tl_jobStatus", "nope"), List.of("tl_polBlock"));
      for (List<Object> call : calls) {
        final String method = (String) call.get(0);
        final Object[] params = call.subList(1, call.size()).toArray();
        final JsonNode http = json.readTree(standalone.answer(json.writeValueAsBytes(
            Map.of("jsonrpc", "2.0", "id", 1, "method", method, "params", List.of(params)))));
        JsonNode plugin;
        try {
          plugin = json.createObjectNode().set("result", json.valueToTree(besu.call(method, params)));
        } catch (PluginRpcEndpointException e) {
          plugin = json.createObjectNode().set("error", json.createObjectNode()
              .put("code", e.getRpcMethodError().getCode()).put("message", e.getRpcMethodError().getMessage()));
        }
        ((com.fasterxml.jackson.databind.node.ObjectNode) http).remove(List.of("jsonrpc", "id"));
        assertThat(plugin).as(call.toString()).isEqualTo(http);
      }
    } finally {
      host.stop();
    }
  }
}
