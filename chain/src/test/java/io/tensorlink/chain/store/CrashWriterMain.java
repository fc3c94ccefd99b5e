package io.tensorlink.chain.store;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Random;

/**
 * Child process of {@link StoreCrashTest}: resumes from the store's cursor and writes PoL-shaped
 * batches forever (some records ahead of their block, then the block with its attestation, signing
 * guard and cursor in one batch), printing {@code committed <index>} after each block's commit.
 * The parent kills it with SIGKILL at a random point.
 */
public final class CrashWriterMain {
  static final String CURSOR = "crash-writer";
  static final BigInteger JOB = BigInteger.valueOf(77);
  static final byte[] VALIDATOR = new byte[20];

  private CrashWriterMain() {}

  public static void main(final String[] args) throws Exception {
    final Random random = new Random(Long.parseLong(args[1]));
    try (NodeStore store = NodeStore.open(Path.of(args[0]))) {
      long index = store.cursor(CURSOR).map(Cursor::nextBlock).orElse(0L);
      long stepFrom = index == 0 ? 0 : BlockEntry.decode(store.block(new BlockKey(JOB, index - 1)).orElseThrow()).stepTo();
      while (true) {
        final int steps = 1 + random.nextInt(8);
        final long stepTo = stepFrom + steps;
        final MessageDigest digest = MessageDigest.getInstance("SHA-256");
        final StoreBatch early = new StoreBatch();
        final StoreBatch block = new StoreBatch();
        for (long step = stepFrom; step < stepTo; step++) {
          for (int stage = 0; stage < 4; stage++) {
            final byte[] record = new byte[200 + random.nextInt(400)];
            random.nextBytes(record);
            digest.update(record);
            // Records usually arrive before the block is built; some come in the block's own batch.
            (random.nextBoolean() ? early : block).putRecord(new RecordKey(JOB, step, stage, 0), record);
          }
        }
        store.commit(early);
        final BlockEntry entry = new BlockEntry(stepFrom, stepTo, steps * 4, digest.digest());
        final BlockKey key = new BlockKey(JOB, index);
        block.putBlock(key, entry.encode())
            .guardSignature(key, entry.hash())
            .putAttestation(new AttestationKey(key, entry.hash(), VALIDATOR), entry.hash())
            .putCursor(CURSOR, new Cursor(index + 1, entry.hash()));
        store.commit(block);
        System.out.println("committed " + index);
        System.out.flush();
        index++;
        stepFrom = stepTo;
      }
    }
  }

  /** What the crash writer stores per block: its step range, record count and a digest of the records. */
  record BlockEntry(long stepFrom, long stepTo, int records, byte[] recordsDigest) {
    byte[] encode() {
      return ByteBuffer.allocate(52).putLong(stepFrom).putLong(stepTo).putInt(records).put(recordsDigest).array();
    }

    byte[] hash() {
      try {
        return MessageDigest.getInstance("SHA-256").digest(encode());
      } catch (java.security.NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }

    static BlockEntry decode(final byte[] value) {
      final ByteBuffer b = ByteBuffer.wrap(value);
      final long from = b.getLong();
      final long to = b.getLong();
      final int n = b.getInt();
      final byte[] d = new byte[32];
      b.get(d);
      return new BlockEntry(from, to, n, d);
    }
  }
}
