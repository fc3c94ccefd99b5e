package io.tensorlink.chain.validator;

import static io.tensorlink.chain.validator.Worker.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.tensorlink.chain.store.BlockKey;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Credentials;

/**
 * Two equal validators, so that every block needs both signatures: whatever one of them missed
 * while it was not running must reach it afterwards, or the job stalls. Each has its own RocksDB
 * directory and libp2p host on loopback; the chain is a real anvil running the v2 suite. Records
 * are gossiped once (the {@link Worker} never sends them again), so the validator that was down
 * gets them only over {@code /tl/records/1.0.0} from the other.
 */
class ValidatorCatchUpAnvilTest {
  private static final ValidatorConfig CONFIG = ValidatorAnvilTest.CONFIG;
  private static final Duration WAIT = Duration.ofSeconds(60);

  @AutoClose private static AnvilSuite chain;
  private static Credentials client;
  private static List<Credentials> validators;
  private static Credentials stage0;
  private static Credentials stage1;

  @TempDir Path dir;
  private ValidatorNode live;
  private ValidatorNode late;
  private Worker worker;

  @BeforeAll
  static void stakeTwoValidators() throws Exception {
    chain = AnvilSuite.start();
    client = chain.account(0);
    validators = List.of(chain.account(1), chain.account(2));
    stage0 = chain.account(4);
    stage1 = chain.account(5);
    for (final Credentials v : validators) {
      chain.stakeValidator(v);
    }
    chain.stake(stage0, AnvilSuite.tl(1_000));
    chain.stake(stage1, AnvilSuite.tl(1_000));
    chain.advanceTime(3_600);
  }

  @AfterEach
  void stop() {
    for (final AutoCloseable c : new AutoCloseable[] {live, late, worker}) {
      if (c != null) {
        try {
          c.close();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }
    }
  }

  @Test
  void aValidatorThatWasNotRunningFetchesTheRecordsItMissedAndSignsTheHeaderProposedMeanwhile() throws Exception {
    live = new ValidatorNode(chain, validators.get(0), dir.resolve("live"), CONFIG);
    late = new ValidatorNode(chain, validators.get(1), dir.resolve("late"), CONFIG);
    live.dial(late);
    worker = new Worker();
    worker.dial(live);
    worker.dial(late);
    live.startValidator();
    final BigInteger jobId = chain.createAssignedJob(client, List.of(stage0, stage1));
    worker.awaitSubscribers(jobId, 1);

    // Block 0 while the second validator has never run: the first proposes, alone it has half the stake.
    worker.publishSteps(jobId, stage0, stage1, 0, 4, -1);
    await(() -> live.store().signedHash(new BlockKey(jobId, 0)).isPresent(), WAIT, "the live validator's proposal");
    late.startValidator();
    awaitAnchored(jobId, 1);
    assertSignedByBoth(jobId, 0);
    assertThat(late.store().records(jobId, 0, 4)).as("every record of block 0, none of them gossiped to it").hasSize(8);

    // Block 1 while the second validator is down after a restart of its process' validator.
    late.stopValidator();
    worker.publishSteps(jobId, stage0, stage1, 4, 8, -1);
    await(() -> live.store().signedHash(new BlockKey(jobId, 1)).isPresent(), WAIT, "the live validator's proposal");
    late.startValidator();
    awaitAnchored(jobId, 2);
    assertSignedByBoth(jobId, 1);
  }

  /** Block {@code index} (the latest anchored) carries the header both validators signed, each one header only. */
  private void assertSignedByBoth(final BigInteger jobId, final long index) throws Exception {
    final byte[] anchored = chain.suite(client).anchor().head(jobId).send().component1();
    for (final ValidatorNode v : List.of(live, late)) {
      assertThat(v.store().signedHash(new BlockKey(jobId, index))).as("%s's guard of block %d", v.address(), index)
          .hasValueSatisfying(h -> assertThat(h).isEqualTo(anchored));
    }
  }

  private static void awaitAnchored(final BigInteger jobId, final long blocks) {
    chain.awaitAnchored(client, jobId, blocks, WAIT);
  }
}
