package io.tensorlink.chain.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The standalone node's JSON-RPC 2.0 endpoint for the {@code tl_*} methods: HTTP POST of one
 * request object (batches are not supported) on a loopback or configured address. Besu serves
 * the same methods through the plugin instead.
 */
public final class TlJsonRpcServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TlJsonRpcServer.class);
  private static final int PARSE_ERROR = -32700;
  private static final int INVALID_REQUEST = -32600;
  private static final int INTERNAL_ERROR = -32603;
  private static final int MAX_BODY = 1 << 20;

  private final ObjectMapper json = new ObjectMapper();
  private final TlRpcMethods methods;
  private final HttpServer server;
  private final ExecutorService executor;

  private TlJsonRpcServer(final TlRpcMethods methods, final HttpServer server, final ExecutorService executor) {
    this.methods = methods;
    this.server = server;
    this.executor = executor;
  }

  /** Binds {@code address} (port 0 picks a free one) and starts serving. */
  public static TlJsonRpcServer start(final TlRpcMethods methods, final InetSocketAddress address) throws IOException {
    final HttpServer server = HttpServer.create(address, 16);
    final ExecutorService executor = Executors.newFixedThreadPool(2, r -> {
      final Thread t = new Thread(r, "tl-rpc");
      t.setDaemon(true);
      return t;
    });
    final TlJsonRpcServer rpc = new TlJsonRpcServer(methods, server, executor);
    server.createContext("/", rpc::handle);
    server.setExecutor(executor);
    server.start();
    return rpc;
  }

  public InetSocketAddress address() {
    return server.getAddress();
  }

  /** Answers one JSON-RPC request body; public so transports other than HTTP can reuse it. */
  public String answer(final byte[] body) {
    final ObjectNode response = json.createObjectNode().put("jsonrpc", "2.0");
    final JsonNode request;
    try {
      request = json.readTree(body);
    } catch (IOException e) {
      return error(response.putNull("id"), PARSE_ERROR, "request is not JSON");
    }
    if (request == null || !request.isObject()) {
      return error(response.putNull("id"), INVALID_REQUEST, "request must be one JSON-RPC object");
    }
    response.set("id", request.path("id").isMissingNode() ? null : request.get("id"));
    final String method = request.path("method").asText("");
    final String prefix = TlRpcMethods.NAMESPACE + "_";
    if (!method.startsWith(prefix)) {
      return error(response, TlRpcException.METHOD_NOT_FOUND, "no method " + method);
    }
    final JsonNode params = request.path("params");
    if (!params.isMissingNode() && !params.isNull() && !params.isArray()) {
      return error(response, INVALID_REQUEST, "params must be an array");
    }
    try {
      final Object result = methods.call(method.substring(prefix.length()), plain(params));
      response.set("result", json.valueToTree(result));
      return response.toString();
    } catch (TlRpcException e) {
      return error(response, e.code(), e.getMessage());
    } catch (RuntimeException e) {
      LOG.warn("{} failed", method, e);
      return error(response, INTERNAL_ERROR, "internal error");
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  private void handle(final HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!"POST".equals(exchange.getRequestMethod())) {
        exchange.sendResponseHeaders(405, -1);
        return;
      }
      final byte[] body;
      try (InputStream in = exchange.getRequestBody()) {
        body = in.readNBytes(MAX_BODY + 1);
      }
      if (body.length > MAX_BODY) {
        exchange.sendResponseHeaders(413, -1);
        return;
      }
      final byte[] out = answer(body).getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, out.length);
      try (OutputStream os = exchange.getResponseBody()) {
        os.write(out);
      }
    }
  }

  /** JSON parameters as the plain Java values Besu hands a plugin (strings, numbers, ...). */
  private List<Object> plain(final JsonNode params) {
    final List<Object> out = new ArrayList<>();
    if (params instanceof ArrayNode array) {
      array.forEach(p -> out.add(json.convertValue(p, Object.class)));
    }
    return out;
  }

  private static String error(final ObjectNode response, final int code, final String message) {
    response.putObject("error").put("code", code).put("message", message);
    return response.toString();
  }
}
