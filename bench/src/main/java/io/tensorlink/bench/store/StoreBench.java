package io.tensorlink.bench.store;

import io.tensorlink.chain.store.BlockKey;
import io.tensorlink.chain.store.NodeStore;
import io.tensorlink.chain.store.RecordKey;
import io.tensorlink.chain.store.StoreBatch;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.Random;
import java.util.stream.Stream;

/**
 * Write throughput of the node store ({@code bench/store.sh}): step records of a realistic wire
 * size written through {@link NodeStore#commit} in batches of several sizes, each into a fresh
 * store in a temporary directory, plus the fsynced signing-guard batches a validator commits
 * before each signature. Prints a table.
 *
 * <pre>
 *   StoreBench [RECORDS] [RECORD_BYTES]   defaults: 200000 records of 700 bytes
 * </pre>
 */
public final class StoreBench {
  private static final int[] BATCH_SIZES = {1, 100, 1_000, 10_000};
  private static final int GUARD_BATCHES = 200;

  private StoreBench() {}

  public static void main(final String[] args) throws IOException {
    final int records = args.length > 0 ? positive(args[0], "RECORDS") : 200_000;
    final int recordBytes = args.length > 1 ? positive(args[1], "RECORD_BYTES") : 700;
    System.out.printf(Locale.ROOT, "node store write throughput: %d records of %d bytes per run, fresh store each run%n%n",
        records, recordBytes);
    System.out.printf(Locale.ROOT, "%-28s %10s %10s %14s %10s%n", "run", "batch", "seconds", "records/s", "MB/s");
    for (final int batch : BATCH_SIZES) {
      // Batches of 1 are slow per record: a tenth of the records keep the run short.
      final int n = batch == 1 ? Math.max(1, records / 10) : records;
      final double seconds = writeRecords(n, recordBytes, batch);
      System.out.printf(Locale.ROOT, "%-28s %10d %10.2f %14.0f %10.1f%n", "records", batch, seconds, n / seconds,
          n * (double) recordBytes / seconds / 1e6);
    }
    final double guardSeconds = writeGuards();
    System.out.printf(Locale.ROOT, "%-28s %10d %10.2f %14.0f %10s%n", "signing guard (fsync)", 1, guardSeconds,
        GUARD_BATCHES / guardSeconds, "-");
    System.out.println();
    System.out.println("records/s of the guard row = guarded commits per second (each one fsync).");
  }

  private static double writeRecords(final int count, final int recordBytes, final int batchSize) throws IOException {
    final Random random = new Random(1);
    final byte[][] payloads = new byte[64][recordBytes];
    for (final byte[] p : payloads) {
      random.nextBytes(p);
    }
    final Path dir = Files.createTempDirectory("tl-store-bench-");
    try (NodeStore store = NodeStore.open(dir)) {
      final BigInteger job = BigInteger.ONE;
      final long start = System.nanoTime();
      StoreBatch batch = new StoreBatch();
      int inBatch = 0;
      for (int i = 0; i < count; i++) {
        // 8 stages x 4 replicas per step, as a mid-sized pipeline job would produce.
        batch.putRecord(new RecordKey(job, i / 32, (i / 4) % 8, i % 4), payloads[i & 63]);
        if (++inBatch == batchSize) {
          store.commit(batch);
          batch = new StoreBatch();
          inBatch = 0;
        }
      }
      store.commit(batch);
      return (System.nanoTime() - start) / 1e9;
    } finally {
      delete(dir);
    }
  }

  private static double writeGuards() throws IOException {
    final Path dir = Files.createTempDirectory("tl-store-bench-");
    try (NodeStore store = NodeStore.open(dir)) {
      final long start = System.nanoTime();
      for (int i = 0; i < GUARD_BATCHES; i++) {
        final byte[] hash = new byte[32];
        hash[0] = (byte) i;
        hash[1] = (byte) (i >> 8);
        store.commit(new StoreBatch().guardSignature(new BlockKey(BigInteger.ONE, i), hash));
      }
      return (System.nanoTime() - start) / 1e9;
    } finally {
      delete(dir);
    }
  }

  private static void delete(final Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      for (final Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  private static int positive(final String text, final String what) {
    try {
      final int v = Integer.parseInt(text);
      if (v > 0) {
        return v;
      }
    } catch (final NumberFormatException e) {
      // reported below
    }
    System.err.println("StoreBench: " + what + " must be a positive integer, got '" + text + "'");
    System.exit(2);
    return 0;
  }
}
