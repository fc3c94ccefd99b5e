package io.tensorlink.chain.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.RocksDB;

/** The store on a real RocksDB in a temporary directory. */
class NodeStoreTest {
  private static final BigInteger JOB = BigInteger.valueOf(7);

  @TempDir Path dir;

  @Test
  void aClosedStoreRefusesReadsAndWritesInsteadOfCrashingAndWaitsForOneUnderWay() throws Exception {
    final NodeStore store = NodeStore.open(dir);
    final RecordKey key = new RecordKey(JOB, 0, 0, 0);
    // a writer racing the close, as a worker thread still publishing while its node stops
    final Thread writer = Thread.ofPlatform().start(() -> {
      for (int i = 0; ; i++) {
        try {
          store.commit(new StoreBatch().putRecord(new RecordKey(JOB, i, 0, 0), bytes("r" + i)));
        } catch (StoreException e) {
          assertThat(e.reason()).isEqualTo(StoreException.Reason.CLOSED);
          return;
        }
      }
    });
    Thread.sleep(50);
    store.close();
    writer.join(10_000);
    assertThat(writer.isAlive()).isFalse();
    assertThatThrownBy(() -> store.commit(new StoreBatch().putRecord(key, bytes("late"))))
        .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.reason()).isEqualTo(StoreException.Reason.CLOSED))
        .hasMessageContaining("it is closed");
    assertThatThrownBy(() -> store.record(key)).isInstanceOf(StoreException.class).hasMessageContaining("cannot read");
    assertThatThrownBy(() -> store.records(JOB, 0, 10)).isInstanceOf(StoreException.class);
    store.close(); // twice is fine
    try (NodeStore again = NodeStore.open(dir)) {
      assertThat(again.record(key)).as("what was written before the close").hasValue(bytes("r0"));
    }
  }

  @Test
  void keepsEveryColumnAcrossReopenAndScansInNumericOrder() {
    try (NodeStore store = NodeStore.open(dir)) {
      final StoreBatch b = new StoreBatch().putJob(new JobKey(JOB), bytes("job"));
      for (long step : new long[] {300, 2, 10, 256}) {
        for (int stage = 1; stage >= 0; stage--) {
          b.putRecord(new RecordKey(JOB, step, stage, 0), bytes("r" + step + "/" + stage));
        }
      }
      b.putRecord(new RecordKey(JOB.add(BigInteger.ONE), 5, 0, 0), bytes("other job"));
      b.putBlock(new BlockKey(JOB, 1), bytes("b1")).putBlock(new BlockKey(JOB, 0), bytes("b0"));
      b.putAttestation(new AttestationKey(new BlockKey(JOB, 0), hash(1), address(2)), bytes("sig2"));
      b.putAttestation(new AttestationKey(new BlockKey(JOB, 0), hash(1), address(1)), bytes("sig1"));
      b.putAttestation(new AttestationKey(new BlockKey(JOB, 0), hash(9), address(3)), bytes("other header"));
      b.putCheckpoint(new CheckpointKey(JOB, 10), bytes("ckpt"));
      b.putCursor("events", new Cursor(42, hash(4)));
      store.commit(b);
    }
    try (NodeStore store = NodeStore.open(dir)) {
      assertThat(store.job(new JobKey(JOB))).hasValueSatisfying(v -> assertThat(v).isEqualTo(bytes("job")));
      assertThat(store.records(JOB, 2, 257).stream().map(e -> e.key().step() + "/" + e.key().stage()))
          .containsExactly("2/0", "2/1", "10/0", "10/1", "256/0", "256/1");
      assertThat(store.records(JOB, 0, Long.MAX_VALUE)).hasSize(8);
      assertThat(store.blocks(JOB).stream().map(e -> e.key().index())).containsExactly(0L, 1L);
      assertThat(store.attestations(new BlockKey(JOB, 0), hash(1)).stream().map(e -> new String(e.value(), StandardCharsets.UTF_8)))
          .containsExactly("sig1", "sig2");
      assertThat(store.checkpoint(new CheckpointKey(JOB, 10))).isPresent();
      assertThat(store.cursor("events")).contains(new Cursor(42, hash(4)));
      assertThat(store.cursor("other")).isEmpty();
      assertThat(store.jobs()).extracting(StoredEntry::key).containsExactly(new JobKey(JOB));
    }
  }

  @Test
  void theSigningGuardRefusesASecondHeaderAndWritesNothingOfThatBatch() {
    final BlockKey block = new BlockKey(JOB, 3);
    try (NodeStore store = NodeStore.open(dir)) {
      store.commit(new StoreBatch().guardSignature(block, hash(1)).putBlock(block, bytes("first")));
      // Re-signing the same header is allowed (a restarted node re-sends its attestation).
      store.commit(new StoreBatch().guardSignature(block, hash(1)));

      final StoreBatch second = new StoreBatch().putBlock(block, bytes("second")).guardSignature(block, hash(2));
      assertThatThrownBy(() -> store.commit(second))
          .isInstanceOf(DoubleSignException.class)
          .hasMessageContaining("job 7 block 3")
          .hasMessageContaining("was already signed");
      assertThat(store.block(block)).hasValueSatisfying(v -> assertThat(v).isEqualTo(bytes("first")));
    }
    try (NodeStore store = NodeStore.open(dir)) {
      assertThat(store.signedHash(block)).hasValueSatisfying(v -> assertThat(v).isEqualTo(hash(1)));
      assertThatThrownBy(() -> store.commit(new StoreBatch().guardSignature(block, hash(2)))).isInstanceOf(DoubleSignException.class);
    }
    assertThatThrownBy(() -> new StoreBatch().guardSignature(block, hash(1)).guardSignature(block, hash(2)))
        .isInstanceOf(DoubleSignException.class);
  }

  @Test
  void aSecondOpenInThisProcessIsRefusedAsLocked() {
    try (NodeStore first = NodeStore.open(dir)) {
      assertThatThrownBy(() -> NodeStore.open(dir))
          .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.reason()).isEqualTo(StoreException.Reason.LOCKED))
          .hasMessageContaining("is locked by another process")
          .hasMessageContaining(dir.toAbsolutePath().toString());
      assertThat(first.cursor("events")).isEmpty();
    }
  }

  @Test
  void anOpenInAnotherProcessIsRefusedAsLockedUntilItExits() throws Exception {
    final Process holder = ChildJvm.start(StoreHolderMain.class, dir.toString());
    try {
      final BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
      assertThat(out.lines().filter(l -> l.startsWith("open ")).findFirst()).isPresent();
      assertThatThrownBy(() -> NodeStore.open(dir))
          .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.reason()).isEqualTo(StoreException.Reason.LOCKED));
    } finally {
      holder.getOutputStream().close();
      assertThat(holder.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
    try (NodeStore store = NodeStore.open(dir)) {
      assertThat(store.directory()).isEqualTo(dir.toAbsolutePath());
    }
  }

  @Test
  void aDamagedManifestIsReportedAsCorrupt() throws Exception {
    try (NodeStore store = NodeStore.open(dir)) {
      store.commit(new StoreBatch().putJob(new JobKey(JOB), bytes("job")));
    }
    final Path manifest;
    try (Stream<Path> files = Files.list(dir)) {
      manifest = files.filter(p -> p.getFileName().toString().startsWith("MANIFEST-")).findFirst().orElseThrow();
    }
    final byte[] content = Files.readAllBytes(manifest);
    Arrays.fill(content, 0, Math.min(64, content.length), (byte) 0x5a);
    Files.write(manifest, content);

    assertThatThrownBy(() -> NodeStore.open(dir))
        .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.reason()).isEqualTo(StoreException.Reason.CORRUPT))
        .hasMessageContaining("corrupt");
  }

  @Test
  void aStoreFromANewerSchemaIsRefusedAndLeftUntouched() throws Exception {
    try (NodeStore store = NodeStore.open(dir)) {
      store.commit(new StoreBatch().putJob(new JobKey(JOB), bytes("job")));
    }
    writeRawSchema(NodeStore.SCHEMA_VERSION + 1);

    assertThatThrownBy(() -> NodeStore.open(dir))
        .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.reason()).isEqualTo(StoreException.Reason.NEWER_SCHEMA))
        .hasMessageContaining("schema version " + (NodeStore.SCHEMA_VERSION + 1))
        .hasMessageContaining("reads only up to " + NodeStore.SCHEMA_VERSION);
    writeRawSchema(NodeStore.SCHEMA_VERSION);
    try (NodeStore store = NodeStore.open(dir)) {
      assertThat(store.job(new JobKey(JOB))).isPresent();
    }
  }

  @Test
  void aSchema1StoreIsMigratedToTheCurrentSchemaKeepingItsData() throws Exception {
    try (NodeStore store = NodeStore.open(dir)) {
      store.commit(new StoreBatch().putJob(new JobKey(JOB), bytes("job")).guardSignature(new BlockKey(JOB, 0), hash(1)));
    }
    // What schema 1 looked like: no duties family, version 1.
    dropFamily("duties");
    writeRawSchema(1);

    try (NodeStore store = NodeStore.open(dir)) {
      assertThat(store.job(new JobKey(JOB))).isPresent();
      assertThat(store.signedHash(new BlockKey(JOB, 0))).isPresent();
      final DutyKey duty = new DutyKey((byte) 'v', new byte[] {1});
      store.commit(new StoreBatch().putDuty(duty, bytes("vote")));
      assertThat(store.duties()).extracting(StoredEntry::key).containsExactly(duty);
    }
    try (NodeStore store = NodeStore.open(dir)) {
      assertThat(store.duties()).hasSize(1);
    }
    assertThat(rawSchema()).isEqualTo(NodeStore.SCHEMA_VERSION);
  }

  @Test
  void aCurrentSchemaStoreMissingAFamilyIsCorrupt() throws Exception {
    try (NodeStore store = NodeStore.open(dir)) {
      store.commit(new StoreBatch().putJob(new JobKey(JOB), bytes("job")));
    }
    dropFamily("records");
    assertThatThrownBy(() -> NodeStore.open(dir))
        .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.reason()).isEqualTo(StoreException.Reason.CORRUPT))
        .hasMessageContaining("lacks the column families [records]");
  }

  @Test
  void aCreationInterruptedBeforeTheSchemaVersionIsFinishedOnTheNextOpen() throws Exception {
    // What a kill between RocksDB creating the database and the first schema write leaves.
    try (org.rocksdb.Options o = new org.rocksdb.Options().setCreateIfMissing(true);
        RocksDB raw = RocksDB.open(o, dir.toString())) {
      raw.createColumnFamily(new org.rocksdb.ColumnFamilyDescriptor(bytes("jobs"))).close();
    }
    try (NodeStore store = NodeStore.open(dir)) {
      store.commit(new StoreBatch().putJob(new JobKey(JOB), bytes("job")).putDuty(new DutyKey((byte) 'v', new byte[] {1}), bytes("d")));
    }
    assertThat(rawSchema()).isEqualTo(NodeStore.SCHEMA_VERSION);
  }

  @Test
  void aRocksDbThatIsNotANodeStoreIsRefused() throws Exception {
    try (org.rocksdb.Options o = new org.rocksdb.Options().setCreateIfMissing(true);
        RocksDB raw = RocksDB.open(o, dir.toString())) {
      raw.put(bytes("k"), bytes("v"));
    }
    assertThatThrownBy(() -> NodeStore.open(dir))
        .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.reason()).isEqualTo(StoreException.Reason.CORRUPT))
        .hasMessageContaining("is not a TensorLink node store")
        .hasMessageContaining("signing_guard");
  }

  @Test
  void badKeysAreRejectedWithTheirName() {
    assertThatThrownBy(() -> new JobKey(BigInteger.ONE.shiftLeft(256))).hasMessageContaining("job id must be a uint256");
    assertThatThrownBy(() -> new RecordKey(JOB, -1, 0, 0)).hasMessageContaining("step must not be negative");
    assertThatThrownBy(() -> new AttestationKey(new BlockKey(JOB, 0), new byte[31], address(1)))
        .hasMessageContaining("block hash must be 32 bytes, got 31");
    assertThatThrownBy(() -> new StoreBatch().putCursor("", new Cursor(0, hash(0)))).hasMessageContaining("cursor name");
  }

  @Test
  void maximalJobIdsAndIndicesRoundTrip() {
    final BigInteger max = BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE);
    try (NodeStore store = NodeStore.open(dir)) {
      store.commit(new StoreBatch().putBlock(new BlockKey(max, Long.MAX_VALUE), bytes("x")).putJob(new JobKey(max), bytes("j")));
      assertThat(store.blocks(max)).extracting(StoredEntry::key).containsExactly(new BlockKey(max, Long.MAX_VALUE));
      assertThat(store.jobs()).extracting(StoredEntry::key).containsExactly(new JobKey(max));
    }
  }

  private void dropFamily(final String name) throws Exception {
    withRaw((raw, handles) -> {
      for (final org.rocksdb.ColumnFamilyHandle h : handles) {
        if (new String(h.getName(), StandardCharsets.UTF_8).equals(name)) {
          raw.dropColumnFamily(h);
        }
      }
      return null;
    });
  }

  private int rawSchema() throws Exception {
    return withRaw((raw, handles) -> ByteBuffer.wrap(raw.get(NodeStore.SCHEMA_KEY)).getInt());
  }

  /** Runs {@code action} on the store's directory opened with plain RocksDB and all its families. */
  private <T> T withRaw(final RawAction<T> action) throws Exception {
    final List<byte[]> names;
    try (org.rocksdb.Options o = new org.rocksdb.Options()) {
      names = RocksDB.listColumnFamilies(o, dir.toString());
    }
    final List<org.rocksdb.ColumnFamilyDescriptor> descriptors =
        names.stream().map(org.rocksdb.ColumnFamilyDescriptor::new).toList();
    final List<org.rocksdb.ColumnFamilyHandle> handles = new java.util.ArrayList<>();
    try (org.rocksdb.DBOptions o = new org.rocksdb.DBOptions();
        RocksDB raw = RocksDB.open(o, dir.toString(), descriptors, handles)) {
      try {
        return action.run(raw, handles);
      } finally {
        handles.forEach(org.rocksdb.ColumnFamilyHandle::close);
      }
    }
  }

  @FunctionalInterface
  private interface RawAction<T> {
    T run(RocksDB raw, List<org.rocksdb.ColumnFamilyHandle> handles) throws Exception;
  }

  private void writeRawSchema(final int version) throws Exception {
    withRaw((raw, handles) -> {
      raw.put(NodeStore.SCHEMA_KEY, ByteBuffer.allocate(4).putInt(version).array());
      return null;
    });
  }

  static byte[] bytes(final String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static byte[] hash(final int n) {
    final byte[] h = new byte[32];
    h[31] = (byte) n;
    h[0] = (byte) 0xaa;
    return h;
  }

  static byte[] address(final int n) {
    final byte[] a = new byte[20];
    a[19] = (byte) n;
    return a;
  }
}
