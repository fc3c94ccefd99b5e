package io.tensorlink.chain.store;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;
import java.util.function.Supplier;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.Options;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Slice;
import org.rocksdb.Status;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's RocksDB store: one column family per {@link Column}, every state transition one
 * atomic {@link StoreBatch}, the schema version recorded in the {@code default} family and
 * checked on open.
 *
 * <p>Thread-safe: reads run concurrently; {@link #commit} is serialized so that the signing-guard
 * check and the write it protects are one step.
 */
public final class NodeStore implements AutoCloseable {
  /**
   * The on-disk schema this code writes and reads. History: 1 = jobs, records, blocks,
   * attestations, checkpoints, signing_guard, cursor; 2 = adds duties (migrated on open).
   */
  public static final int SCHEMA_VERSION = 2;

  static final byte[] SCHEMA_KEY = "schema-version".getBytes(StandardCharsets.UTF_8);
  private static final Logger LOG = LoggerFactory.getLogger(NodeStore.class);

  static {
    RocksDB.loadLibrary();
  }

  private final Path directory;
  private final DBOptions dbOptions;
  private final ColumnFamilyOptions cfOptions;
  private final RocksDB db;
  private final List<ColumnFamilyHandle> handles;
  private final Map<Column, ColumnFamilyHandle> families;
  private final WriteOptions asyncWrite;
  private final WriteOptions syncWrite;
  private final Object commitLock = new Object();
  /**
   * Reads and writes hold it shared, {@link #close} exclusively: RocksDB's handles are native, and a
   * write through a closed one crashes the JVM (a worker thread still publishing while its node stops).
   */
  private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
  private boolean closed;

  private NodeStore(final Path directory, final DBOptions dbOptions, final ColumnFamilyOptions cfOptions,
      final RocksDB db, final List<ColumnFamilyHandle> handles, final Map<Column, ColumnFamilyHandle> families) {
    this.directory = directory;
    this.dbOptions = dbOptions;
    this.cfOptions = cfOptions;
    this.db = db;
    this.handles = handles;
    this.families = families;
    this.asyncWrite = new WriteOptions();
    this.syncWrite = new WriteOptions().setSync(true);
  }

  /**
   * Opens the store in {@code directory}, creating it if the directory is empty or absent.
   *
   * @throws StoreException {@code LOCKED} if another process or handle has it open, {@code CORRUPT}
   *     if its files are damaged or it is not a TensorLink store, {@code NEWER_SCHEMA} if a newer
   *     version wrote it
   */
  public static NodeStore open(final Path directory) {
    final Path dir = directory.toAbsolutePath();
    final boolean existing = Files.exists(dir.resolve("CURRENT"));
    // An existing store opens with the families it has; missing ones are added by a migration
    // once its schema version says it is ours and older.
    final List<byte[]> familyNames = new ArrayList<>(existing ? listFamilies(dir) : List.of(RocksDB.DEFAULT_COLUMN_FAMILY));
    if (!existing) {
      for (final Column c : Column.values()) {
        familyNames.add(c.familyNameBytes());
      }
    }
    final ColumnFamilyOptions cfOptions = new ColumnFamilyOptions();
    final DBOptions dbOptions = new DBOptions()
        .setCreateIfMissing(!existing)
        .setCreateMissingColumnFamilies(!existing)
        .setParanoidChecks(true);
    final List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
    for (final byte[] name : familyNames) {
      descriptors.add(new ColumnFamilyDescriptor(name, cfOptions));
    }
    final List<ColumnFamilyHandle> handles = new ArrayList<>();
    final RocksDB db;
    try {
      Files.createDirectories(dir);
      db = RocksDB.open(dbOptions, dir.toString(), descriptors, handles);
    } catch (RocksDBException e) {
      dbOptions.close();
      cfOptions.close();
      throw translate(dir, "open", e);
    } catch (java.io.IOException e) {
      dbOptions.close();
      cfOptions.close();
      throw new StoreException(StoreException.Reason.IO, dir, "cannot create the store directory " + dir + ": " + e, e);
    }
    final Map<Column, ColumnFamilyHandle> families = new EnumMap<>(Column.class);
    for (int i = 0; i < descriptors.size(); i++) {
      final String name = new String(descriptors.get(i).getName(), StandardCharsets.UTF_8);
      for (final Column c : Column.values()) {
        if (c.familyName().equals(name)) {
          families.put(c, handles.get(i));
        }
      }
    }
    final NodeStore store = new NodeStore(dir, dbOptions, cfOptions, db, handles, families);
    try {
      store.checkSchema(existing, familyNames);
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
    LOG.info("opened node store {} (schema {})", dir, SCHEMA_VERSION);
    return store;
  }

  public Path directory() {
    return directory;
  }

  /** Applies {@code batch} atomically; batches that guard a signature are fsynced before returning. */
  public void commit(final StoreBatch batch) {
    if (batch.isEmpty()) {
      return;
    }
    whileOpen("write", () -> {
      write(batch);
      return null;
    });
  }

  private void write(final StoreBatch batch) {
    synchronized (commitLock) {
      try (WriteBatch wb = new WriteBatch()) {
        for (final Map.Entry<BlockKey, byte[]> guard : batch.guards().entrySet()) {
          final Optional<byte[]> held = signedHash(guard.getKey());
          if (held.isPresent() && !Arrays.equals(held.get(), guard.getValue())) {
            throw new DoubleSignException(guard.getKey(), held.get(), guard.getValue());
          }
          wb.put(families.get(Column.SIGNING_GUARD), guard.getKey().bytes(), guard.getValue());
        }
        for (final StoreBatch.Op op : batch.ops()) {
          if (op.value() == null) {
            wb.delete(families.get(op.column()), op.key());
          } else {
            wb.put(families.get(op.column()), op.key(), op.value());
          }
        }
        db.write(batch.guards().isEmpty() ? asyncWrite : syncWrite, wb);
      } catch (RocksDBException e) {
        throw translate(directory, "write", e);
      }
    }
  }

  public Optional<byte[]> job(final JobKey key) {
    return get(Column.JOBS, key.bytes());
  }

  /** Every job, in job-id order. */
  public List<StoredEntry<JobKey>> jobs() {
    return scan(Column.JOBS, new byte[0], null, JobKey::decode);
  }

  public Optional<byte[]> record(final RecordKey key) {
    return get(Column.RECORDS, key.bytes());
  }

  /** {@code jobId}'s records with {@code stepFrom <= step < stepTo}, in (step, stage, replica) order. */
  public List<StoredEntry<RecordKey>> records(final BigInteger jobId, final long stepFrom, final long stepTo) {
    return scan(Column.RECORDS, RecordKey.stepPrefix(jobId, stepFrom), RecordKey.stepPrefix(jobId, stepTo), RecordKey::decode);
  }

  public Optional<byte[]> block(final BlockKey key) {
    return get(Column.BLOCKS, key.bytes());
  }

  /** {@code jobId}'s block entries in index order. */
  public List<StoredEntry<BlockKey>> blocks(final BigInteger jobId) {
    final byte[] prefix = KeyCodec.jobPrefix(jobId);
    return scan(Column.BLOCKS, prefix, upperBound(prefix), BlockKey::decode);
  }

  /** Attestations over header {@code blockHash} at {@code block}, in validator-address order. */
  public List<StoredEntry<AttestationKey>> attestations(final BlockKey block, final byte[] blockHash) {
    final byte[] prefix = AttestationKey.headerPrefix(block, blockHash);
    return scan(Column.ATTESTATIONS, prefix, upperBound(prefix), AttestationKey::decode);
  }

  public Optional<byte[]> checkpoint(final CheckpointKey key) {
    return get(Column.CHECKPOINTS, key.bytes());
  }

  /** The header hash this node signed for {@code key}, if any. */
  public Optional<byte[]> signedHash(final BlockKey key) {
    return get(Column.SIGNING_GUARD, key.bytes());
  }

  /** Every signing-guard entry. */
  public List<StoredEntry<BlockKey>> signingGuard() {
    return scan(Column.SIGNING_GUARD, new byte[0], null, BlockKey::decode);
  }

  public Optional<byte[]> duty(final DutyKey key) {
    return get(Column.DUTIES, key.bytes());
  }

  /** Every pending duty, in key order. */
  public List<StoredEntry<DutyKey>> duties() {
    return scan(Column.DUTIES, new byte[0], null, DutyKey::decode);
  }

  public Optional<Cursor> cursor(final String name) {
    return get(Column.CURSOR, StoreBatch.cursorKey(name)).map(Cursor::decode);
  }

  /** Waits for the reads and writes under way; later ones fail with {@link StoreException.Reason#CLOSED}. */
  @Override
  public void close() {
    lifecycle.writeLock().lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      handles.forEach(ColumnFamilyHandle::close);
      db.close();
      asyncWrite.close();
      syncWrite.close();
      dbOptions.close();
      cfOptions.close();
    } finally {
      lifecycle.writeLock().unlock();
    }
  }

  private void checkSchema(final boolean existing, final List<byte[]> familyNames) {
    final Optional<byte[]> stored;
    try {
      stored = Optional.ofNullable(db.get(SCHEMA_KEY));
    } catch (RocksDBException e) {
      throw translate(directory, "read the schema version of", e);
    }
    if (stored.isEmpty()) {
      // No version: either a creation killed before it wrote one (an empty database holding only
      // our families), which is finished now, or somebody else's database.
      if (existing && !(onlyOurFamilies(familyNames) && isEmpty())) {
        throw new StoreException(StoreException.Reason.CORRUPT, directory,
            "the RocksDB database in " + directory + " is not a TensorLink node store (it has no schema version"
                + (containsAll(familyNames) ? "" : " and lacks the column families " + missingFamilies(familyNames))
                + "); point the node at another directory", null);
      }
      if (existing) {
        LOG.warn("node store {} was never fully created (killed during its first open?): finishing it", directory);
        migrate(0);
      } else {
        writeSchemaVersion();
      }
      return;
    }
    if (stored.get().length != 4) {
      throw new StoreException(StoreException.Reason.CORRUPT, directory,
          "the node store in " + directory + " has a malformed schema version (" + stored.get().length + " bytes)", null);
    }
    final int version = ByteBuffer.wrap(stored.get()).getInt();
    if (version > SCHEMA_VERSION) {
      throw new StoreException(StoreException.Reason.NEWER_SCHEMA, directory,
          "the node store in " + directory + " has schema version " + version + " but this TensorLink reads only up to "
              + SCHEMA_VERSION + "; upgrade TensorLink or use another data directory", null);
    }
    if (version < 1) {
      throw new StoreException(StoreException.Reason.CORRUPT, directory,
          "the node store in " + directory + " has unknown schema version " + version, null);
    }
    if (version < SCHEMA_VERSION) {
      migrate(version);
    }
    if (!families.keySet().containsAll(List.of(Column.values()))) {
      throw new StoreException(StoreException.Reason.CORRUPT, directory, "the node store in " + directory
          + " (schema " + SCHEMA_VERSION + ") lacks the column families " + missingFamilies(familyNames), null);
    }
  }

  private static boolean onlyOurFamilies(final List<byte[]> familyNames) {
    final List<String> ours = new ArrayList<>(Arrays.stream(Column.values()).map(Column::familyName).toList());
    ours.add(new String(RocksDB.DEFAULT_COLUMN_FAMILY, StandardCharsets.UTF_8));
    return familyNames.stream().map(n -> new String(n, StandardCharsets.UTF_8)).allMatch(ours::contains);
  }

  /** Whether no family holds any key. */
  private boolean isEmpty() {
    for (final ColumnFamilyHandle h : handles) {
      try (RocksIterator it = db.newIterator(h)) {
        it.seekToFirst();
        if (it.isValid()) {
          return false;
        }
      }
    }
    return true;
  }

  /** Brings a store of an older schema to {@link #SCHEMA_VERSION}: every step so far only adds column families. */
  private void migrate(final int from) {
    try {
      for (final Column c : Column.values()) {
        if (!families.containsKey(c)) {
          final ColumnFamilyHandle h = db.createColumnFamily(new ColumnFamilyDescriptor(c.familyNameBytes(), cfOptions));
          handles.add(h);
          families.put(c, h);
        }
      }
      writeSchemaVersion();
    } catch (RocksDBException e) {
      throw translate(directory, "migrate", e);
    }
    LOG.info("migrated node store {} from schema {} to {}", directory, from, SCHEMA_VERSION);
  }

  private void writeSchemaVersion() {
    try {
      db.put(syncWrite, SCHEMA_KEY, ByteBuffer.allocate(4).putInt(SCHEMA_VERSION).array());
    } catch (RocksDBException e) {
      throw translate(directory, "initialise", e);
    }
  }

  private Optional<byte[]> get(final Column column, final byte[] key) {
    return whileOpen("read", () -> {
      try {
        return Optional.ofNullable(db.get(families.get(column), key));
      } catch (RocksDBException e) {
        throw translate(directory, "read", e);
      }
    });
  }

  private <K> List<StoredEntry<K>> scan(final Column column, final byte[] from, final byte[] toExclusive,
      final Function<byte[], K> decode) {
    return whileOpen("scan", () -> scanOpen(column, from, toExclusive, decode));
  }

  /** Runs {@code op} unless the store is closed, and keeps it from closing meanwhile. */
  private <T> T whileOpen(final String what, final Supplier<T> op) {
    lifecycle.readLock().lock();
    try {
      if (closed) {
        throw new StoreException(StoreException.Reason.CLOSED, directory, "cannot " + what + " the node store in "
            + directory + ": it is closed", null);
      }
      return op.get();
    } finally {
      lifecycle.readLock().unlock();
    }
  }

  private <K> List<StoredEntry<K>> scanOpen(final Column column, final byte[] from, final byte[] toExclusive,
      final Function<byte[], K> decode) {
    final List<StoredEntry<K>> out = new ArrayList<>();
    try (Slice upper = toExclusive == null ? null : new Slice(toExclusive);
        ReadOptions ro = new ReadOptions()) {
      if (upper != null) {
        ro.setIterateUpperBound(upper);
      }
      try (RocksIterator it = db.newIterator(families.get(column), ro)) {
        for (it.seek(from); it.isValid(); it.next()) {
          out.add(new StoredEntry<>(decode.apply(it.key()), it.value()));
        }
        it.status();
      }
    } catch (RocksDBException e) {
      throw translate(directory, "scan", e);
    }
    return out;
  }

  /** The smallest key greater than every key starting with {@code prefix} (null if none: all 0xff). */
  private static byte[] upperBound(final byte[] prefix) {
    final byte[] out = prefix.clone();
    for (int i = out.length - 1; i >= 0; i--) {
      if (out[i] != (byte) 0xff) {
        out[i]++;
        return Arrays.copyOf(out, i + 1);
      }
    }
    return null;
  }

  private static List<byte[]> listFamilies(final Path dir) {
    try (Options options = new Options()) {
      return RocksDB.listColumnFamilies(options, dir.toString());
    } catch (RocksDBException e) {
      throw translate(dir, "list the column families of", e);
    }
  }

  private static boolean containsAll(final List<byte[]> names) {
    return missingFamilies(names).isEmpty();
  }

  private static List<String> missingFamilies(final List<byte[]> names) {
    final List<String> present = names.stream().map(n -> new String(n, StandardCharsets.UTF_8)).toList();
    return Arrays.stream(Column.values()).map(Column::familyName).filter(n -> !present.contains(n)).toList();
  }

  /** Turns RocksDB's status into a reason and a message that names the directory and the remedy. */
  static StoreException translate(final Path dir, final String action, final RocksDBException e) {
    final Status status = e.getStatus();
    final String detail = e.getMessage();
    if (detail != null && detail.contains("LOCK")) {
      return new StoreException(StoreException.Reason.LOCKED, dir,
          "the node store in " + dir + " is locked by another process (or already open in this one): stop the other node "
              + "or give this one its own data directory [" + detail + "]", e);
    }
    if (status != null && status.getCode() == Status.Code.Corruption) {
      return new StoreException(StoreException.Reason.CORRUPT, dir,
          "the node store in " + dir + " is corrupt (could not " + action + " it): restore it from a backup or resync "
              + "into an empty directory [" + detail + "]", e);
    }
    return new StoreException(StoreException.Reason.IO, dir, "could not " + action + " the node store in " + dir + ": " + detail, e);
  }
}
