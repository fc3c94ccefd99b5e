package io.tensorlink.chain.store;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One state transition: the puts and deletes that {@link NodeStore#commit} applies as a single
 * atomic RocksDB write batch. Values are opaque bytes (the callers' RLP wire forms); keys are
 * typed. Not thread-safe; build it on one thread and commit it once.
 */
public final class StoreBatch {
  /** One staged operation; {@code value == null} is a delete. */
  record Op(Column column, byte[] key, byte[] value) {}

  private final List<Op> ops = new ArrayList<>();
  private final Map<BlockKey, byte[]> guards = new LinkedHashMap<>();

  public StoreBatch putJob(final JobKey key, final byte[] value) {
    return put(Column.JOBS, key.bytes(), value);
  }

  public StoreBatch putRecord(final RecordKey key, final byte[] value) {
    return put(Column.RECORDS, key.bytes(), value);
  }

  public StoreBatch putBlock(final BlockKey key, final byte[] value) {
    return put(Column.BLOCKS, key.bytes(), value);
  }

  public StoreBatch putAttestation(final AttestationKey key, final byte[] value) {
    return put(Column.ATTESTATIONS, key.bytes(), value);
  }

  public StoreBatch putCheckpoint(final CheckpointKey key, final byte[] value) {
    return put(Column.CHECKPOINTS, key.bytes(), value);
  }

  public StoreBatch putCursor(final String name, final Cursor cursor) {
    return put(Column.CURSOR, cursorKey(name), cursor.bytes());
  }

  public StoreBatch putDuty(final DutyKey key, final byte[] value) {
    return put(Column.DUTIES, key.bytes(), value);
  }

  public StoreBatch deleteRecord(final RecordKey key) {
    ops.add(new Op(Column.RECORDS, key.bytes(), null));
    return this;
  }

  public StoreBatch deleteDuty(final DutyKey key) {
    ops.add(new Op(Column.DUTIES, key.bytes(), null));
    return this;
  }

  /**
   * Records that this node signs header {@code blockHash} for {@code key}. {@link NodeStore#commit}
   * refuses the whole batch (with {@link DoubleSignException}) if the guard already holds a
   * different hash, and writes batches with a guard synchronously (fsync) so the guard is on disk
   * before the caller lets the signature out.
   */
  public StoreBatch guardSignature(final BlockKey key, final byte[] blockHash) {
    KeyCodec.requireLength(blockHash, 32, "guarded block hash");
    final byte[] previous = guards.putIfAbsent(key, blockHash.clone());
    if (previous != null && !java.util.Arrays.equals(previous, blockHash)) {
      throw new DoubleSignException(key, previous, blockHash);
    }
    return this;
  }

  public boolean isEmpty() {
    return ops.isEmpty() && guards.isEmpty();
  }

  List<Op> ops() {
    return ops;
  }

  Map<BlockKey, byte[]> guards() {
    return guards;
  }

  static byte[] cursorKey(final String name) {
    if (name.isEmpty()) {
      throw new IllegalArgumentException("cursor name must not be empty");
    }
    return name.getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  private StoreBatch put(final Column column, final byte[] key, final byte[] value) {
    ops.add(new Op(column, key, java.util.Objects.requireNonNull(value, "value").clone()));
    return this;
  }
}
