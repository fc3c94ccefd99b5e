package io.tensorlink.chain.follow;

import static org.assertj.core.api.Assertions.assertThat;

import io.tensorlink.chain.store.NodeStore;
import io.tensorlink.chain.validator.AnvilSuiteAccess;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Credentials;

/** {@link SuiteChainEvents} and {@link ChainFollower} on a real anvil with the v2 suite. */
class SuiteChainEventsTest {
  @AutoClose private static AnvilSuiteAccess chain;

  @TempDir Path dir;

  @BeforeAll
  static void start() {
    chain = AnvilSuiteAccess.start();
  }

  @Test
  void decodesTheSuiteEventsAndAppliesThemOnlyAfterTheConfirmationDepth() throws Exception {
    final Credentials client = chain.account(0);
    final Credentials worker = chain.account(4);
    chain.stakeWorker(worker);
    final long before = chain.head();
    final BigInteger assigned = chain.createAssignedJob(client, List.of(worker));
    // Cancelling an unassigned job takes effect at once (an active one only after a notice period).
    final BigInteger jobId = chain.createJob(client);
    chain.cancel(client, jobId);

    final SuiteChainEvents events = new SuiteChainEvents(chain.web3j(), chain.deployment());
    final List<ChainEvent> seen = events.events(before + 1, events.head());
    assertThat(seen).hasSize(4);
    assertThat(seen.get(0)).isInstanceOfSatisfying(ChainEvent.JobCreated.class, e -> {
      assertThat(e.jobId()).isEqualTo(assigned);
      assertThat(e.client()).isEqualToIgnoringCase(client.getAddress());
    });
    assertThat(seen.get(1)).isInstanceOfSatisfying(ChainEvent.JobAssigned.class,
        e -> assertThat(e.workers()).singleElement().asString().isEqualToIgnoringCase(worker.getAddress()));
    assertThat(seen.get(2)).isInstanceOfSatisfying(ChainEvent.JobCreated.class, e -> assertThat(e.jobId()).isEqualTo(jobId));
    assertThat(seen.get(3)).isInstanceOfSatisfying(ChainEvent.JobFinished.class, e -> assertThat(e.jobId()).isEqualTo(jobId));
    assertThat(events.blockHash(events.head())).isPresent();
    assertThat(events.blockHash(events.head() + 100)).isEmpty();

    // Blocks are mined every 500 ms, so the head may have moved since the cancellation: the
    // assertions follow the block numbers rather than assume the cancellation is still the head.
    final long cancelled = seen.get(3).blockNumber();
    try (NodeStore store = NodeStore.open(dir)) {
      final ChainFollower follower = new ChainFollower(events, store, "test", 2, 1_000);
      final List<ChainEvent> applied = new ArrayList<>(follower.poll((window, batch) -> { }));
      final long confirmed = follower.nextBlock() - 1;
      assertThat(confirmed).as("the last block applied is 2 confirmations deep").isLessThanOrEqualTo(events.head() - 2);
      assertThat(finished(applied, jobId)).isEqualTo(cancelled <= confirmed ? 1 : 0);

      chain.mine(2);
      applied.addAll(follower.poll((window, batch) -> { }));
      assertThat(finished(applied, jobId)).as("applied once, after 2 blocks on top of it").isOne();
      assertThat(follower.nextBlock() - 1).isBetween(cancelled, events.head() - 2);
    }
  }

  private static long finished(final List<ChainEvent> applied, final BigInteger jobId) {
    return applied.stream().filter(e -> e instanceof ChainEvent.JobFinished f && f.jobId().equals(jobId)).count();
  }
}
