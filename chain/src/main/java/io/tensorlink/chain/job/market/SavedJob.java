package io.tensorlink.chain.job.market;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tensorlink.chain.pol.JobSpec;
import io.tensorlink.compute.data.Dataset;
import io.tensorlink.compute.data.DatasetSource;
import io.tensorlink.compute.spec.ModelSpecs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * A job {@code tl-cli job create} funded, as it leaves it for the node's client role in {@code
 * <data-dir>/jobs/}: {@code <jobId>.json} is the canonical spec, {@code <jobId>.data.json} says where
 * the training data comes from ({@code {"dataset": "<source>", "model": "<model spec path>"}}, the
 * source in {@link DatasetSource}'s syntax). The client role opens the dataset with the spec's seed
 * and serves its training split.
 */
public record SavedJob(BigInteger jobId, JobSpec spec, String datasetSource, Path modelSpec) {
  private static final ObjectMapper JSON = new ObjectMapper();

  public static Path specFile(final Path jobsDir, final BigInteger jobId) {
    return jobsDir.resolve(jobId + ".json");
  }

  public static Path dataFile(final Path jobsDir, final BigInteger jobId) {
    return jobsDir.resolve(jobId + ".data.json");
  }

  /** Writes both files (the spec in canonical form). */
  public void write(final Path jobsDir) {
    final Map<String, String> data = new TreeMap<>(Map.of("dataset", datasetSource, "model",
        modelSpec.toAbsolutePath().toString()));
    try {
      Files.createDirectories(jobsDir);
      Files.writeString(specFile(jobsDir, jobId), spec.canonicalJson());
      Files.writeString(dataFile(jobsDir, jobId), JSON.writeValueAsString(data));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot save job " + jobId + " under " + jobsDir + ": " + e.getMessage(), e);
    }
  }

  /** Reads job {@code jobId}; every problem names the file. */
  public static SavedJob read(final Path jobsDir, final BigInteger jobId) {
    final Path specFile = specFile(jobsDir, jobId);
    final Path dataFile = dataFile(jobsDir, jobId);
    try {
      final JobSpec spec = JobSpec.parse(Files.readString(specFile));
      final JsonNode data = JSON.readTree(Files.readString(dataFile));
      if (!data.path("dataset").isTextual() || !data.path("model").isTextual()) {
        throw new IllegalArgumentException(dataFile + " must hold {\"dataset\": \"<source>\", \"model\": \"<path>\"}");
      }
      return new SavedJob(jobId, spec, data.get("dataset").asText(), Path.of(data.get("model").asText()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read saved job " + jobId + " (" + specFile + ", " + dataFile + "): "
          + e.getMessage(), e);
    }
  }

  /** The training split the spec was built from (its root is checked again when the job is published). */
  public Dataset openDataset() {
    return DatasetSource.open(datasetSource, ModelSpecs.read(modelSpec).input(), spec.seed()).train();
  }
}
