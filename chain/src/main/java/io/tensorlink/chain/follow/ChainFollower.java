package io.tensorlink.chain.follow;

import io.tensorlink.chain.store.Cursor;
import io.tensorlink.chain.store.NodeStore;
import io.tensorlink.chain.store.StoreBatch;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the chain from a persisted cursor: each {@link #poll} reads the events of confirmed
 * blocks after the cursor, lets the caller turn them into state changes, and commits those changes
 * and the advanced cursor in ONE batch, so the cursor is never ahead of (nor behind) the applied state.
 */
public final class ChainFollower {
  /** Turns a window of events into the state changes to commit with the cursor. */
  @FunctionalInterface
  public interface Applier {
    void apply(List<ChainEvent> events, StoreBatch batch);
  }

  private static final Logger LOG = LoggerFactory.getLogger(ChainFollower.class);

  private final ChainEvents chain;
  private final NodeStore store;
  private final String cursorName;
  private final int confirmations;
  private final int maxRange;

  public ChainFollower(final ChainEvents chain, final NodeStore store, final String cursorName, final int confirmations,
      final int maxRange) {
    if (confirmations < 0 || maxRange <= 0) {
      throw new IllegalArgumentException("confirmations must be >= 0 and maxRange > 0");
    }
    this.chain = chain;
    this.store = store;
    this.cursorName = cursorName;
    this.confirmations = confirmations;
    this.maxRange = maxRange;
  }

  /** The next block to read (0 for a fresh store). */
  public long nextBlock() {
    return store.cursor(cursorName).map(Cursor::nextBlock).orElse(0L);
  }

  /**
   * Applies every confirmed block after the cursor, window by window.
   *
   * @return the events applied, in chain order (for side effects after they are durable)
   */
  public List<ChainEvent> poll(final Applier applier) {
    final long confirmed = chain.head() - confirmations;
    final List<ChainEvent> applied = new ArrayList<>();
    final Optional<Cursor> cursor = store.cursor(cursorName);
    cursor.ifPresent(this::warnOnReorg);
    long from = cursor.map(Cursor::nextBlock).orElse(0L);
    while (from <= confirmed) {
      final long to = Math.min(confirmed, from + maxRange - 1);
      final List<ChainEvent> events = chain.events(from, to);
      final byte[] toHash = chain.blockHash(to).orElseThrow(
          () -> new IllegalStateException("the chain lost block " + to + " while it was being read"));
      final StoreBatch batch = new StoreBatch();
      applier.apply(events, batch);
      batch.putCursor(cursorName, new Cursor(to + 1, toHash));
      store.commit(batch);
      applied.addAll(events);
      from = to + 1;
    }
    return applied;
  }

  private void warnOnReorg(final Cursor cursor) {
    if (cursor.nextBlock() == 0) {
      return;
    }
    final Optional<byte[]> now = chain.blockHash(cursor.nextBlock() - 1);
    if (now.isPresent() && !Arrays.equals(now.get(), cursor.lastHash())) {
      // Deeper than the confirmation depth: applied events may be gone. Not repaired automatically.
      LOG.error("chain reorganised below the cursor: block {} changed; raise the confirmation depth ({}) and resync",
          cursor.nextBlock() - 1, confirmations);
    }
  }
}
