package io.tensorlink.cli.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tensorlink.cli.CliException;
import io.tensorlink.cli.ExitCodes;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Calls the running node's {@code tl_*} JSON-RPC methods; errors become one-line CLI errors. */
public final class NodeRpcClient {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final URI endpoint;

  public NodeRpcClient(final String url) {
    this.endpoint = URI.create(url);
  }

  /** The node running from the data dir (its run file), or exit 4 when none runs. */
  public static NodeRpcClient of(final io.tensorlink.cli.CliContext ctx) {
    return new NodeRpcClient(NodeRunFile.requireLive(NodeCommand.runFile(ctx)).rpcUrl());
  }

  public String endpoint() {
    return endpoint.toString();
  }

  public JsonNode call(final String method, final Object... params) {
    final HttpResponse<String> response;
    try {
      final String body = JSON.writeValueAsString(Map.of("jsonrpc", "2.0", "id", 1, "method", method, "params", List.of(params)));
      response = http.send(HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(30))
          .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (ConnectException e) {
      throw new CliException("the node's RPC endpoint " + endpoint + " refused the connection: is the node running?",
          ExitCodes.NOT_RUNNING, e);
    } catch (IOException e) {
      throw new CliException(method + " to " + endpoint + " failed: " + e.getMessage(), ExitCodes.FAILURE, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException(method + " interrupted", ExitCodes.FAILURE, e);
    }
    final JsonNode answer;
    try {
      answer = JSON.readTree(response.body());
    } catch (IOException e) {
      throw new CliException(endpoint + " is not a JSON-RPC endpoint (HTTP " + response.statusCode() + ")", ExitCodes.FAILURE, e);
    }
    if (answer.has("error")) {
      throw new CliException(method + ": " + answer.path("error").path("message").asText(), ExitCodes.FAILURE);
    }
    return answer.path("result");
  }
}
