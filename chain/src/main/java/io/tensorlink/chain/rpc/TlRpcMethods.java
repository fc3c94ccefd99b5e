package io.tensorlink.chain.rpc;

import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * The {@code tl_*} JSON-RPC method set, independent of transport: the standalone node serves it
 * over {@link TlJsonRpcServer}, the Besu plugin through Besu's {@code RpcEndpointService}. Both
 * hand the positional parameters to {@link #call} and serialize what it returns, so the two give
 * identical answers for the same {@link TlNode} state.
 *
 * <p>Results are plain JSON values only ({@code Map}, {@code List}, {@code String}, {@code
 * Boolean}, {@code null}), so any JSON library (Besu's Jackson included) writes them the same way.
 * "Not found" is a {@code null} result, as with {@code eth_getTransactionByHash}; bad parameters
 * are JSON-RPC error -32602 naming the parameter. The methods are documented in
 * docs/operators/besu.md.
 */
public final class TlRpcMethods {
  /** The JSON-RPC namespace: methods are called {@code tl_<function>}. */
  public static final String NAMESPACE = "tl";

  /** The function names (without namespace): fixed, so a transport can register them before a node exists. */
  public static final List<String> FUNCTIONS = List.of("nodeInfo", "jobStatus", "polBlock", "peers", "verifyRecord",
      "jobRecords");

  private static final long UINT64_MAX_AS_LONG = Long.MAX_VALUE;

  private final Map<String, Method> methods = new LinkedHashMap<>();

  public TlRpcMethods(final TlNode node) {
    Objects.requireNonNull(node, "node");
    add("nodeInfo", List.of(), p -> node.nodeInfo().toJson());
    add("jobStatus", List.of("jobId"), p -> node.jobStatus(Quantity.parse(p.get(0), "jobId")).map(JobStatus::toJson).orElse(null));
    add("polBlock", List.of("jobId", "index"), p -> {
      final BigInteger jobId = Quantity.parse(p.get(0), "jobId");
      return node.polBlock(jobId, Quantity.parseLong(p.get(1), "index", UINT64_MAX_AS_LONG)).map(PolBlockView::toJson).orElse(null);
    });
    add("peers", List.of(), p -> node.peers().stream().map(PeerInfo::toJson).toList());
    add("verifyRecord", List.of("jobId", "step", "stage", "replica"), p -> node.verifyRecord(new RecordRef(
            Quantity.parse(p.get(0), "jobId"),
            Quantity.parseLong(p.get(1), "step", UINT64_MAX_AS_LONG),
            (int) Quantity.parseLong(p.get(2), "stage", Integer.MAX_VALUE),
            (int) Quantity.parseLong(p.get(3), "replica", Integer.MAX_VALUE)))
        .toJson());
    add("jobRecords", List.of("jobId", "fromStep", "toStep"), p -> {
      final long from = Quantity.parseLong(p.get(1), "fromStep", UINT64_MAX_AS_LONG);
      final long to = Quantity.parseLong(p.get(2), "toStep", UINT64_MAX_AS_LONG);
      if (to < from || to - from > JobRecords.MAX_STEPS) {
        throw TlRpcException.invalidParams("toStep must be in [fromStep, fromStep + " + JobRecords.MAX_STEPS + "], got "
            + from + ".." + to);
      }
      return node.jobRecords(Quantity.parse(p.get(0), "jobId"), from, to).map(JobRecords::toJson).orElse(null);
    });
    if (!List.copyOf(methods.keySet()).equals(FUNCTIONS)) {
      throw new IllegalStateException("FUNCTIONS is out of date: " + methods.keySet());
    }
  }

  /**
   * Runs {@code tl_<function>} with positional {@code params}.
   *
   * @throws TlRpcException with METHOD_NOT_FOUND or INVALID_PARAMS, or whatever the node raises
   */
  public Object call(final String function, final List<?> params) {
    final Method m = methods.get(function);
    if (m == null) {
      throw new TlRpcException(TlRpcException.METHOD_NOT_FOUND, "no method " + NAMESPACE + "_" + function);
    }
    final List<?> given = params == null ? List.of() : params;
    if (given.size() != m.params().size()) {
      throw TlRpcException.invalidParams(NAMESPACE + "_" + function + " takes " + m.params().size()
          + " parameter(s) " + m.params() + ", got " + given.size());
    }
    return m.body().apply(given);
  }

  private void add(final String name, final List<String> params, final Function<List<?>, Object> body) {
    methods.put(name, new Method(params, body));
  }

  private record Method(List<String> params, Function<List<?>, Object> body) {}
}
