package io.tensorlink.chain.pol;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tensorlink.compute.data.BatchPlan;
import io.tensorlink.compute.optim.AdamW;
import io.tensorlink.compute.optim.LrSchedule;
import io.tensorlink.compute.optim.Optimizer;
import io.tensorlink.compute.optim.Sgd;
import io.tensorlink.compute.train.HyperParams;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.tuweni.bytes.Bytes32;
import org.web3j.crypto.Hash;

/**
 * The off-chain job description whose canonical JSON hashes to the escrow's {@code paramsHash}.
 *
 * <p>Canonical JSON: UTF-8, object keys sorted, no whitespace, integers in decimal, hashes as
 * lower-case {@code 0x} hex, floats as Java's shortest round-trip decimal ({@link Float#toString}),
 * wei amounts as decimal strings (they exceed JSON's safe integers). {@link #parse} accepts any
 * key order and whitespace but rejects unknown or missing keys, so parse → canonical is stable.
 *
 * @param specHash the model spec's {@code specHash}
 * @param datasetRoot the dataset's content root ({@link io.tensorlink.chain.pol.work.DatasetCommitment})
 * @param datasetSize samples in the dataset
 * @param optimizer compute's optimizer (sgd or adamw with their hyperparameters)
 * @param schedule learning rate schedule
 * @param gradClip global-norm clipping, 0 = off (must be 0 with several stages: the norm would
 *     span stages that never see each other's gradients)
 * @param batch samples per replica per step
 * @param shuffle whether the BatchPlan shuffles per epoch
 * @param verifyRatePpm sample rate p in parts per million
 * @param tolerancePpmL2 δ for tolerant mode (ppm of relative L2); 0 in exact mode
 * @param blockSteps N, steps per PoL block
 * @param pricePerStep wei paid per record
 */
public record JobSpec(Bytes32 specHash, Bytes32 datasetRoot, long datasetSize, Optimizer optimizer,
    LrSchedule schedule, float gradClip, int batch, long seed, long steps, boolean shuffle, int stages, int replicas,
    int verifyRatePpm, VerifyMode verifyMode, int tolerancePpmL2, int blockSteps, BigInteger pricePerStep) {

  // Decimals parse as BigDecimal, so a float is rounded once from the text (not via a double).
  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  public JobSpec {
    Checks.present("specHash", specHash);
    Checks.present("datasetRoot", datasetRoot);
    Checks.present("optimizer", optimizer);
    Checks.present("schedule", schedule);
    Checks.present("verifyMode", verifyMode);
    Checks.positive("steps", steps);
    Checks.positive("blockSteps", blockSteps);
    Checks.uint256("pricePerStep", pricePerStep);
    Checks.topology(0, 0, stages, replicas);
    if (!(gradClip >= 0f)) {
      throw new IllegalArgumentException("gradClip must be >= 0, got " + gradClip);
    }
    if (stages > 1 && gradClip != 0f) {
      throw new IllegalArgumentException("gradClip must be 0 with " + stages + " stages (the global norm spans stages)");
    }
    Sampling.checkRate(verifyRatePpm);
    if (verifyMode == VerifyMode.EXACT ? tolerancePpmL2 != 0 : tolerancePpmL2 <= 0) {
      throw new IllegalArgumentException("tolerancePpmL2 must be 0 in exact mode and > 0 in tolerant mode, got "
          + tolerancePpmL2);
    }
    batchPlan(datasetSize, batch, replicas, seed, shuffle);
  }

  public BatchPlan batchPlan() {
    return batchPlan(datasetSize, batch, replicas, seed, shuffle);
  }

  private static BatchPlan batchPlan(final long size, final int batch, final int replicas, final long seed,
      final boolean shuffle) {
    return new BatchPlan(size, batch, replicas, seed, shuffle);
  }

  /** compute's hyperparameters: one shard per replica, so R replicas reproduce one process. */
  public HyperParams hyperParams() {
    return new HyperParams(optimizer, schedule, gradClip, replicas, seed);
  }

  public int globalBatch() {
    return batch * replicas;
  }

  public String canonicalJson() {
    final Map<String, Object> m = new TreeMap<>();
    m.put("specHash", specHash.toHexString());
    m.put("dataset", new TreeMap<>(Map.of("root", datasetRoot.toHexString(), "size", datasetSize)));
    m.put("optimizer", optimizerJson(optimizer));
    m.put("schedule", scheduleJson(schedule));
    m.put("gradClip", gradClip);
    m.put("batch", batch);
    m.put("seed", seed);
    m.put("steps", steps);
    m.put("shuffle", shuffle);
    m.put("topology", new TreeMap<>(Map.of("stages", stages, "replicas", replicas)));
    m.put("verification", new TreeMap<>(Map.of("ratePpm", verifyRatePpm,
        "mode", verifyMode.name().toLowerCase(java.util.Locale.ROOT), "tolerancePpmL2", tolerancePpmL2,
        "blockSteps", blockSteps)));
    m.put("pricePerStep", pricePerStep.toString());
    try {
      return JSON.writeValueAsString(m);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise a job spec", e);
    }
  }

  /** keccak256 of the canonical JSON: the escrow's {@code paramsHash}. */
  public Bytes32 paramsHash() {
    return Bytes32.wrap(Hash.sha3(canonicalJson().getBytes(StandardCharsets.UTF_8)));
  }

  private static Map<String, Object> optimizerJson(final Optimizer o) {
    final Map<String, Object> m = new TreeMap<>();
    switch (o) {
      case Sgd s -> {
        m.put("name", "sgd");
        m.put("momentum", s.momentum());
        m.put("nesterov", s.nesterov());
        m.put("weightDecay", s.weightDecay());
      }
      case AdamW a -> {
        m.put("name", "adamw");
        m.put("beta1", a.beta1());
        m.put("beta2", a.beta2());
        m.put("eps", a.eps());
        m.put("weightDecay", a.weightDecay());
      }
    }
    return m;
  }

  private static Map<String, Object> scheduleJson(final LrSchedule s) {
    final Map<String, Object> m = new TreeMap<>();
    switch (s) {
      case LrSchedule.Constant c -> {
        m.put("kind", "constant");
        m.put("lr", c.value());
      }
      case LrSchedule.WarmupCosine w -> {
        m.put("kind", "warmupCosine");
        m.put("peak", w.peak());
        m.put("warmup", w.warmup());
        m.put("total", w.total());
        m.put("min", w.min());
      }
    }
    return m;
  }

  /** Parses a job spec; every error names the offending key. */
  public static JobSpec parse(final String json) {
    final JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("job spec is not JSON: " + e.getOriginalMessage(), e);
    }
    final Obj o = new Obj(root, "job spec", Set.of("specHash", "dataset", "optimizer", "schedule", "gradClip", "batch",
        "seed", "steps", "shuffle", "topology", "verification", "pricePerStep"));
    final Obj dataset = o.obj("dataset", Set.of("root", "size"));
    final Obj topology = o.obj("topology", Set.of("stages", "replicas"));
    final Obj verification = o.obj("verification", Set.of("ratePpm", "mode", "tolerancePpmL2", "blockSteps"));
    try {
      return new JobSpec(o.hash("specHash"), dataset.hash("root"), dataset.integer("size"), parseOptimizer(o),
          parseSchedule(o), o.decimal("gradClip"), Math.toIntExact(o.integer("batch")), o.integer("seed"),
          o.integer("steps"), o.bool("shuffle"), Math.toIntExact(topology.integer("stages")),
          Math.toIntExact(topology.integer("replicas")), Math.toIntExact(verification.integer("ratePpm")),
          parseMode(verification.text("mode")), Math.toIntExact(verification.integer("tolerancePpmL2")),
          Math.toIntExact(verification.integer("blockSteps")), parseWei(o.text("pricePerStep")));
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException("job spec: an integer is out of range: " + e.getMessage(), e);
    }
  }

  private static Optimizer parseOptimizer(final Obj parent) {
    final JsonNode node = parent.node.get("optimizer");
    final String name = node == null ? null : node.path("name").asText(null);
    if ("sgd".equals(name)) {
      final Obj o = parent.obj("optimizer", Set.of("name", "momentum", "nesterov", "weightDecay"));
      return new Sgd(o.decimal("momentum"), o.bool("nesterov"), o.decimal("weightDecay"));
    }
    if ("adamw".equals(name)) {
      final Obj o = parent.obj("optimizer", Set.of("name", "beta1", "beta2", "eps", "weightDecay"));
      return new AdamW(o.decimal("beta1"), o.decimal("beta2"), o.decimal("eps"), o.decimal("weightDecay"));
    }
    throw new IllegalArgumentException("job spec: optimizer.name must be sgd or adamw, got " + name);
  }

  private static LrSchedule parseSchedule(final Obj parent) {
    final JsonNode node = parent.node.get("schedule");
    final String kind = node == null ? null : node.path("kind").asText(null);
    if ("constant".equals(kind)) {
      return new LrSchedule.Constant(parent.obj("schedule", Set.of("kind", "lr")).decimal("lr"));
    }
    if ("warmupCosine".equals(kind)) {
      final Obj o = parent.obj("schedule", Set.of("kind", "peak", "warmup", "total", "min"));
      return new LrSchedule.WarmupCosine(o.decimal("peak"), o.integer("warmup"), o.integer("total"), o.decimal("min"));
    }
    throw new IllegalArgumentException("job spec: schedule.kind must be constant or warmupCosine, got " + kind);
  }

  private static VerifyMode parseMode(final String mode) {
    return switch (mode) {
      case "exact" -> VerifyMode.EXACT;
      case "tolerant" -> VerifyMode.TOLERANT;
      default -> throw new IllegalArgumentException("job spec: verification.mode must be exact or tolerant, got " + mode);
    };
  }

  private static BigInteger parseWei(final String text) {
    if (!text.matches("0|[1-9][0-9]{0,77}")) {
      throw new IllegalArgumentException("job spec: pricePerStep must be a decimal wei string, got " + text);
    }
    return new BigInteger(text);
  }

  /** A JSON object with a fixed key set, read with errors that name the key's path. */
  private record Obj(JsonNode node, String path, Set<String> keys) {
    Obj {
      if (node == null || !node.isObject()) {
        throw new IllegalArgumentException(path + " must be a JSON object");
      }
      for (final Iterator<String> it = node.fieldNames(); it.hasNext();) {
        final String k = it.next();
        if (!keys.contains(k)) {
          throw new IllegalArgumentException(path + ": unknown key '" + k + "'");
        }
      }
      for (final String k : keys) {
        if (!node.has(k)) {
          throw new IllegalArgumentException(path + ": missing key '" + k + "'");
        }
      }
    }

    Obj obj(final String key, final Set<String> wanted) {
      return new Obj(node.get(key), path + "." + key, wanted);
    }

    JsonNode field(final String key, final boolean ok, final String what) {
      final JsonNode v = node.get(key);
      if (!ok) {
        throw new IllegalArgumentException(path + "." + key + " must be " + what + ", got " + v);
      }
      return v;
    }

    long integer(final String key) {
      final JsonNode v = node.get(key);
      return field(key, v.isIntegralNumber() && v.canConvertToLong(), "an integer").asLong();
    }

    float decimal(final String key) {
      final JsonNode v = node.get(key);
      return field(key, v.isNumber(), "a number").decimalValue().floatValue();
    }

    boolean bool(final String key) {
      final JsonNode v = node.get(key);
      return field(key, v.isBoolean(), "true or false").asBoolean();
    }

    String text(final String key) {
      final JsonNode v = node.get(key);
      return field(key, v.isTextual(), "a string").asText();
    }

    Bytes32 hash(final String key) {
      final String t = text(key);
      if (!t.matches("0x[0-9a-f]{64}")) {
        throw new IllegalArgumentException(path + "." + key + " must be 0x + 64 lower-case hex digits, got " + t);
      }
      return Bytes32.fromHexString(t);
    }
  }

}
