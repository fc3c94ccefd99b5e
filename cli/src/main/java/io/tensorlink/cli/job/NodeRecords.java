package io.tensorlink.cli.job;

import com.fasterxml.jackson.databind.JsonNode;
import io.tensorlink.chain.job.result.CellRoots;
import io.tensorlink.chain.job.result.LossCurve;
import io.tensorlink.chain.pol.EthAddress;
import io.tensorlink.cli.CliException;
import io.tensorlink.cli.ExitCodes;
import io.tensorlink.cli.node.NodeRpcClient;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.tuweni.bytes.Bytes32;
import org.web3j.utils.Numeric;

/**
 * A node's {@code tl_jobRecords} answer (docs/jobs-result.md §4): hints the commands check against
 * the chain, never trust on their own.
 *
 * @param steps the job's total steps, -1 when the node does not know the spec
 */
record NodeRecords(long steps, int stages, int replicas, List<Entry> entries) {
  /** The most steps one {@code tl_jobRecords} call covers (chain.rpc.JobRecords.MAX_STEPS). */
  static final long PAGE = 10_000;

  record Entry(long step, int stage, int replica, String worker, String paramsAfter, String optStateAfter, long lossBits) {}

  /** The records of steps {@code [from, to)}; a one-line error when the node keeps none of the job. */
  static NodeRecords fetch(final NodeRpcClient rpc, final BigInteger jobId, final long from, final long to) {
    long steps = -1;
    int stages = 0;
    int replicas = 0;
    final List<Entry> entries = new ArrayList<>();
    long page = from;
    do {
      final JsonNode answer = rpc.call("tl_jobRecords", Numeric.toHexStringWithPrefix(jobId), hex(page),
          hex(Math.min(to, page + PAGE)));
      if (answer == null || answer.isNull() || answer.isMissingNode()) {
        throw new CliException("the node at " + rpc.endpoint() + " keeps no records of job " + jobId
            + " (nodes with the validator role keep them: point --node-rpc at one)", ExitCodes.FAILURE);
      }
      steps = answer.path("steps").isNull() ? -1 : quantity(answer, "steps").longValueExact();
      stages = quantity(answer, "stages").intValueExact();
      replicas = quantity(answer, "replicas").intValueExact();
      for (final JsonNode r : answer.path("records")) {
        entries.add(new Entry(quantity(r, "step").longValueExact(), quantity(r, "stage").intValueExact(),
            quantity(r, "replica").intValueExact(), r.path("worker").asText(), r.path("paramsAfter").asText(),
            r.path("optStateAfter").asText(), quantity(r, "lossBits").longValue()));
      }
      page += PAGE;
    } while (page < to);
    return new NodeRecords(steps, stages, replicas, entries);
  }

  /** The records of one step as the fetcher wants them. */
  List<CellRoots> cells(final long step) {
    try {
      return entries.stream().filter(e -> e.step() == step).map(e -> new CellRoots(e.stage(), e.replica(),
          EthAddress.of(e.worker()), Bytes32.fromHexString(e.paramsAfter()), Bytes32.fromHexString(e.optStateAfter())))
          .toList();
    } catch (IllegalArgumentException e) {
      throw new CliException("the node answered a malformed record of step " + step + ": " + e.getMessage(),
          ExitCodes.FAILURE, e);
    }
  }

  /** Each step's loss: the last stage's contributions summed over replicas, for steps where all replicas reported. */
  List<LossCurve.Point> losses() {
    final Map<Long, List<Long>> byStep = new TreeMap<>();
    entries.stream().filter(e -> e.stage() == stages - 1)
        .forEach(e -> byStep.computeIfAbsent(e.step(), s -> new ArrayList<>()).add(e.lossBits()));
    final List<LossCurve.Point> out = new ArrayList<>();
    byStep.forEach((step, bits) -> {
      if (bits.size() == replicas) {
        out.add(new LossCurve.Point(step, LossCurve.loss(bits)));
      }
    });
    return out;
  }

  private static String hex(final long v) {
    return "0x" + Long.toHexString(v);
  }

  private static BigInteger quantity(final JsonNode node, final String field) {
    final String text = node.path(field).asText("");
    try {
      return Numeric.decodeQuantity(text);
    } catch (RuntimeException e) {
      throw new CliException("the node answered a malformed " + field + " '" + text + "'", ExitCodes.FAILURE, e);
    }
  }
}
