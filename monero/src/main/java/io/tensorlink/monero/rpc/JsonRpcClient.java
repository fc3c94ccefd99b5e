package io.tensorlink.monero.rpc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.security.SecureRandom;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JSON-RPC 2.0 over HTTP ({@code /json_rpc}) to monerod or monero-wallet-rpc. Responses map onto
 * records with snake_case names.
 *
 * <p>Logs the method, endpoint and duration at debug; never parameters or results, which may hold keys,
 * multisig infos, tx keys or passwords. Thread-safe: calls are serialised per client, matching
 * wallet-rpc, which handles one wallet operation at a time anyway.
 */
public final class JsonRpcClient {
  private static final Logger LOG = LoggerFactory.getLogger(JsonRpcClient.class);
  static final ObjectMapper MAPPER = JsonMapper.builder()
      .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .build();

  private final RpcEndpoint endpoint;
  private final HttpClient http;
  private final Optional<DigestAuth> digest;

  public JsonRpcClient(final RpcEndpoint endpoint) {
    this.endpoint = endpoint;
    this.http = HttpClient.newBuilder().connectTimeout(endpoint.timeout()).version(HttpClient.Version.HTTP_1_1).build();
    this.digest = endpoint.credentials().map(c -> new DigestAuth(c, new SecureRandom()));
  }

  public RpcEndpoint endpoint() {
    return endpoint;
  }

  /** Calls a {@code /json_rpc} method and maps its {@code result}. */
  public <T> T call(final String method, final Object params, final Class<T> resultType) {
    final Map<String, Object> request = Map.of("jsonrpc", "2.0", "id", "0", "method", method,
        "params", params == null ? Map.of() : params);
    final JsonNode response = post("/json_rpc", method, request);
    final JsonNode error = response.get("error");
    if (error != null && !error.isNull()) {
      final int code = error.path("code").asInt();
      final String message = error.path("message").asText();
      throw new MoneroRpcException(method, code, message, MoneroErrorKind.classify(code, message), null);
    }
    return convert(method, response.path("result"), resultType);
  }

  private <T> T convert(final String method, final JsonNode node, final Class<T> type) {
    try {
      return MAPPER.treeToValue(node, type);
    } catch (final JsonProcessingException e) {
      throw new MoneroRpcException(method, 0, "unexpected response shape: " + e.getOriginalMessage(),
          MoneroErrorKind.OTHER, e);
    }
  }

  private synchronized JsonNode post(final String path, final String method, final Object body) {
    final long start = System.nanoTime();
    final byte[] json;
    try {
      json = MAPPER.writeValueAsBytes(body);
    } catch (final JsonProcessingException e) {
      throw new IllegalArgumentException("cannot encode parameters of " + method, e);
    }
    final URI uri = endpoint.baseUri().resolve(path);
    try {
      HttpResponse<byte[]> response = http.send(request(uri, path, json), HttpResponse.BodyHandlers.ofByteArray());
      if (response.statusCode() == 401 && digest.isPresent()
          && digest.get().accept(response.headers().allValues("WWW-Authenticate"))) {
        response = http.send(request(uri, path, json), HttpResponse.BodyHandlers.ofByteArray());
      }
      if (response.statusCode() == 401) {
        throw new MoneroRpcException(method, 0, "HTTP 401 from " + endpoint, MoneroErrorKind.UNAUTHORIZED, null);
      }
      if (response.statusCode() != 200) {
        throw new MoneroRpcException(method, 0, "HTTP " + response.statusCode() + " from " + endpoint,
            MoneroErrorKind.OTHER, null);
      }
      LOG.debug("{} {} took {} ms", endpoint.baseUri(), method, (System.nanoTime() - start) / 1_000_000);
      return MAPPER.readTree(response.body());
    } catch (final HttpTimeoutException e) {
      throw new MoneroRpcException(method, 0, "no answer from " + endpoint + " within " + endpoint.timeout(),
          MoneroErrorKind.TIMEOUT, e);
    } catch (final ConnectException e) {
      throw new MoneroRpcException(method, 0, "cannot connect to " + endpoint, MoneroErrorKind.UNREACHABLE, e);
    } catch (final IOException e) {
      throw new MoneroRpcException(method, 0, "I/O error talking to " + endpoint + ": " + e.getMessage(),
          MoneroErrorKind.UNREACHABLE, e);
    } catch (final InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MoneroRpcException(method, 0, "interrupted", MoneroErrorKind.OTHER, e);
    }
  }

  private HttpRequest request(final URI uri, final String path, final byte[] json) {
    final HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(endpoint.timeout())
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(json));
    digest.filter(DigestAuth::hasChallenge).ifPresent(d -> b.header("Authorization", d.authorization("POST", path)));
    return b.build();
  }
}
