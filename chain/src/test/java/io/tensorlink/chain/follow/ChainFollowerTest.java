package io.tensorlink.chain.follow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tensorlink.chain.store.Cursor;
import io.tensorlink.chain.store.JobKey;
import io.tensorlink.chain.store.NodeStore;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Hash;

/** The follower on a real store and a chain given as a list of events. */
class ChainFollowerTest {
  @TempDir Path dir;

  /** Events at fixed blocks; block hashes derived from the number. */
  private static final class ListChain implements ChainEvents {
    final List<ChainEvent> events = new ArrayList<>();
    final List<long[]> queries = new ArrayList<>();
    long head;

    @Override
    public long head() {
      return head;
    }

    @Override
    public Optional<byte[]> blockHash(final long number) {
      return number <= head ? Optional.of(Hash.sha3(ByteBuffer.allocate(8).putLong(number).array())) : Optional.empty();
    }

    @Override
    public List<ChainEvent> events(final long from, final long to) {
      queries.add(new long[] {from, to});
      return events.stream().filter(e -> e.blockNumber() >= from && e.blockNumber() <= to).toList();
    }
  }

  private static ChainEvent created(final long block, final long jobId) {
    return new ChainEvent.JobCreated(block, BigInteger.valueOf(jobId), "0x0000000000000000000000000000000000000001", new byte[32]);
  }

  @Test
  void appliesOnlyConfirmedBlocksInWindowsAndCommitsTheCursorWithTheState() {
    final ListChain chain = new ListChain();
    chain.events.addAll(List.of(created(1, 1), created(4, 2), created(9, 3)));
    chain.head = 10;
    try (NodeStore store = NodeStore.open(dir)) {
      final ChainFollower follower = new ChainFollower(chain, store, "c", 2, 3);
      final List<ChainEvent> applied = follower.poll((events, batch) ->
          events.forEach(e -> batch.putJob(new JobKey(((ChainEvent.JobCreated) e).jobId()), new byte[] {1})));

      assertThat(applied).extracting(ChainEvent::blockNumber).containsExactly(1L, 4L);
      assertThat(chain.queries).extracting(q -> q[0] + ".." + q[1]).containsExactly("0..2", "3..5", "6..8");
      assertThat(store.cursor("c")).hasValueSatisfying(c -> {
        assertThat(c.nextBlock()).isEqualTo(9);
        assertThat(c.lastHash()).isEqualTo(chain.blockHash(8).orElseThrow());
      });
      assertThat(store.job(new JobKey(BigInteger.valueOf(3)))).as("block 9 has only 1 confirmation").isEmpty();

      chain.head = 11;
      assertThat(follower.poll((events, batch) -> events.forEach(e -> batch.putJob(new JobKey(BigInteger.valueOf(3)), new byte[] {1}))))
          .extracting(ChainEvent::blockNumber).containsExactly(9L);
      assertThat(follower.nextBlock()).isEqualTo(10);
      assertThat(follower.poll((events, batch) -> { })).isEmpty();
    }
  }

  @Test
  void aWindowThatFailsToApplyLeavesNeitherItsStateNorTheCursor() {
    final ListChain chain = new ListChain();
    chain.events.addAll(List.of(created(1, 1), created(5, 2)));
    chain.head = 6;
    try (NodeStore store = NodeStore.open(dir)) {
      final ChainFollower follower = new ChainFollower(chain, store, "c", 0, 4);
      assertThatThrownBy(() -> follower.poll((events, batch) -> {
        events.forEach(e -> batch.putJob(new JobKey(((ChainEvent.JobCreated) e).jobId()), new byte[] {1}));
        if (events.stream().anyMatch(e -> e.blockNumber() == 5)) {
          throw new IllegalStateException("applier failed");
        }
      })).hasMessage("applier failed");
      assertThat(store.cursor("c").map(Cursor::nextBlock)).contains(4L);
      assertThat(store.job(new JobKey(BigInteger.ONE))).isPresent();
      assertThat(store.job(new JobKey(BigInteger.TWO))).isEmpty();
    }
  }

  @Test
  void badSettingsAreRejected() {
    try (NodeStore store = NodeStore.open(dir)) {
      assertThatThrownBy(() -> new ChainFollower(new ListChain(), store, "c", -1, 1)).hasMessageContaining("confirmations");
    }
  }
}
