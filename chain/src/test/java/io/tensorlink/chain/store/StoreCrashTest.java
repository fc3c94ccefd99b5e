package io.tensorlink.chain.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.tensorlink.chain.store.CrashWriterMain.BlockEntry;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kills a writing child JVM with SIGKILL ({@link Process#destroyForcibly()}) at random points, many
 * times over one store, and checks after every kill that the store reopens consistent:
 *
 * <ul>
 *   <li>the cursor equals the number of blocks (never ahead of applied state, never behind it);
 *   <li>every block's records are all present and match the digest the block recorded;
 *   <li>every block has its signing-guard entry (equal to its hash) and its attestation;
 *   <li>no block acknowledged by the child (printed after commit returned) was lost.
 * </ul>
 */
class StoreCrashTest {
  private static final Logger LOG = LoggerFactory.getLogger(StoreCrashTest.class);
  private static final long BUDGET_NANOS = TimeUnit.SECONDS.toNanos(40);
  private static final int MIN_KILLS = 8;
  private static final int MAX_KILLS = 25;

  @TempDir Path dir;

  @Test
  void survivesRepeatedKillNineWithoutATornState() throws Exception {
    final Random random = new Random(20261207L);
    final long start = System.nanoTime();
    int kills = 0;
    long acknowledged = -1;
    long blocksSeen = 0;
    while (kills < MAX_KILLS && (kills < MIN_KILLS || System.nanoTime() - start < BUDGET_NANOS)) {
      final Process child = ChildJvm.start(CrashWriterMain.class, dir.toString(), Long.toString(random.nextLong()));
      final AtomicLong lastCommitted = new AtomicLong(-1);
      final Thread reader = Thread.ofVirtual().start(() -> readCommits(child, lastCommitted));
      // Kill after the child's first commit plus a random delay, so kills land in varied phases.
      final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (lastCommitted.get() < acknowledged + 1 && child.isAlive() && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      assertThat(child.isAlive()).as("child %d is writing", kills).isTrue();
      Thread.sleep(random.nextInt(300));
      child.destroyForcibly();
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
      reader.join();
      acknowledged = Math.max(acknowledged, lastCommitted.get());
      kills++;

      try (NodeStore store = NodeStore.open(dir)) {
        blocksSeen = checkConsistent(store, acknowledged);
      }
    }
    LOG.info("{} kills in {} ms, {} blocks written", kills, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), blocksSeen);
    assertThat(kills).isGreaterThanOrEqualTo(MIN_KILLS);
    assertThat(blocksSeen).isGreaterThan(kills);
  }

  @Test
  void aKillDuringTheFirstOpenLeavesAStoreThatOpens() throws Exception {
    final Random random = new Random(11);
    for (int i = 0; i < 5; i++) {
      final Path fresh = dir.resolve("fresh-" + i);
      final Process child = ChildJvm.start(CrashWriterMain.class, fresh.toString(), "1");
      // JVM start takes most of a second here: kills land before, during or just after creation.
      Thread.sleep(300 + random.nextInt(900));
      child.destroyForcibly();
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
      try (NodeStore store = NodeStore.open(fresh)) {
        checkConsistent(store, -1);
      }
    }
  }

  /** Checks the invariants; returns the number of blocks. */
  private static long checkConsistent(final NodeStore store, final long acknowledged) throws Exception {
    final long next = store.cursor(CrashWriterMain.CURSOR).map(Cursor::nextBlock).orElse(0L);
    final List<StoredEntry<BlockKey>> blocks = store.blocks(CrashWriterMain.JOB);
    assertThat(blocks).as("blocks 0..cursor-1, no more, no gaps").hasSize((int) next);
    assertThat(next).as("no acknowledged block lost").isGreaterThanOrEqualTo(acknowledged + 1);
    long stepFrom = 0;
    for (int i = 0; i < blocks.size(); i++) {
      final BlockKey key = blocks.get(i).key();
      assertThat(key.index()).isEqualTo(i);
      final BlockEntry entry = BlockEntry.decode(blocks.get(i).value());
      assertThat(entry.stepFrom()).as("block %d continues its parent", i).isEqualTo(stepFrom);
      final List<StoredEntry<RecordKey>> records = store.records(CrashWriterMain.JOB, entry.stepFrom(), entry.stepTo());
      assertThat(records).as("block %d's records", i).hasSize(entry.records());
      final MessageDigest digest = MessageDigest.getInstance("SHA-256");
      records.forEach(r -> digest.update(r.value()));
      assertThat(digest.digest()).as("block %d's records digest", i).isEqualTo(entry.recordsDigest());
      assertThat(store.signedHash(key)).as("block %d's signing guard", i).hasValueSatisfying(h -> assertThat(h).isEqualTo(entry.hash()));
      assertThat(store.attestations(key, entry.hash())).as("block %d's attestation", i).hasSize(1);
      stepFrom = entry.stepTo();
    }
    assertThat(store.signingGuard()).as("no guard beyond the cursor").hasSize((int) next);
    if (next > 0) {
      final byte[] lastHash = BlockEntry.decode(blocks.get((int) next - 1).value()).hash();
      assertThat(store.cursor(CrashWriterMain.CURSOR).orElseThrow().lastHash()).isEqualTo(lastHash);
    }
    return next;
  }

  private static void readCommits(final Process child, final AtomicLong lastCommitted) {
    try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null) {
        if (line.startsWith("committed ")) {
          lastCommitted.set(Long.parseLong(line.substring("committed ".length())));
        }
      }
    } catch (java.io.IOException e) {
      // the child was killed mid-line: what was read so far counts
    }
  }
}
