package io.tensorlink.chain.xmr;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A job's XMR terms as its client chose them ({@code tl-cli job create --pay xmr}), in piconero, kept in
 * {@code <data-dir>/xmr/jobs/job-<id>.json}: the client's node sets up each assigned worker's escrow
 * from them.
 *
 * @param pricePerStep piconero per verified step
 * @param deposit what the client locks in each worker's escrow
 * @param arbiterFee the arbiter's fee per escrow
 * @param maxTxFee the most a co-signer accepts as one escrow transaction's network fee
 */
public record XmrJobTerms(long pricePerStep, long deposit, long arbiterFee, long maxTxFee) {
  public XmrJobTerms {
    if (pricePerStep <= 0 || maxTxFee <= 0 || arbiterFee < 0) {
      throw new IllegalArgumentException("XMR price per step and max tx fee must be positive and the arbiter fee >= 0, got "
          + pricePerStep + ", " + maxTxFee + ", " + arbiterFee);
    }
    if (deposit < arbiterFee + 2 * maxTxFee + pricePerStep) {
      throw new IllegalArgumentException("XMR deposit " + deposit + " does not cover the arbiter fee " + arbiterFee
          + ", two network fees of up to " + maxTxFee + " and one step of " + pricePerStep);
    }
  }

  public static Path file(final Path dataDir, final BigInteger jobId) {
    return dataDir.resolve("xmr").resolve("jobs").resolve("job-" + jobId + ".json");
  }

  /** Writes the terms of job {@code jobId} atomically; returns the file. */
  public Path write(final Path dataDir, final BigInteger jobId) {
    final Path f = file(dataDir, jobId);
    final Map<String, Object> stored = new LinkedHashMap<>();
    stored.put("jobId", jobId.toString());
    stored.put("pricePerStep", Long.toString(pricePerStep));
    stored.put("deposit", Long.toString(deposit));
    stored.put("arbiterFee", Long.toString(arbiterFee));
    stored.put("maxTxFee", Long.toString(maxTxFee));
    try {
      Files.createDirectories(f.getParent());
      final Path tmp = Files.createTempFile(f.getParent(), f.getFileName().toString(), ".tmp");
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(tmp.toFile(), stored);
      Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return f;
    } catch (final IOException e) {
      throw new UncheckedIOException("cannot write the XMR terms of job " + jobId + " to " + f, e);
    }
  }

  /** The terms of job {@code jobId}, empty when the job pays in TL (no file). */
  public static Optional<XmrJobTerms> read(final Path dataDir, final BigInteger jobId) {
    final Path f = file(dataDir, jobId);
    if (!Files.exists(f)) {
      return Optional.empty();
    }
    try {
      final JsonNode n = new ObjectMapper().readTree(f.toFile());
      return Optional.of(new XmrJobTerms(amount(n, "pricePerStep", f), amount(n, "deposit", f), amount(n, "arbiterFee", f),
          amount(n, "maxTxFee", f)));
    } catch (final IOException e) {
      throw new UncheckedIOException("cannot read the XMR terms of job " + jobId + " from " + f, e);
    }
  }

  private static long amount(final JsonNode n, final String field, final Path f) {
    final JsonNode v = n.get(field);
    if (v == null || !v.isTextual() || !v.asText().matches("[0-9]{1,19}")) {
      throw new IllegalArgumentException(f + ": '" + field + "' must be a piconero amount as a decimal string, got " + v);
    }
    return Long.parseLong(v.asText());
  }
}
