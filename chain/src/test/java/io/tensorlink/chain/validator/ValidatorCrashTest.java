package io.tensorlink.chain.validator;

import static org.assertj.core.api.Assertions.assertThat;

import io.tensorlink.chain.store.BlockKey;
import io.tensorlink.chain.store.ChildJvm;
import io.tensorlink.chain.store.Cursor;
import io.tensorlink.chain.store.JobKey;
import io.tensorlink.chain.store.NodeStore;
import io.tensorlink.contracts.deploy.DeploymentStore;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.crypto.Credentials;
import org.web3j.utils.Numeric;

/**
 * A validator process ({@link ValidatorCrashMain}) on a real anvil, killed with SIGKILL at random
 * points and restarted on the same RocksDB store. After every kill: each (job, index) it ever
 * announced a signature for has exactly one header hash across all its lives, equal to its
 * signing guard; the anchored head is a header it signed; its cursor and job state are not ahead
 * of the chain. Across the kills the job keeps being anchored, i.e. each restart resumes.
 */
class ValidatorCrashTest {
  private static final Logger LOG = LoggerFactory.getLogger(ValidatorCrashTest.class);
  private static final int KILLS = 6;

  @AutoClose private AnvilSuite chain;
  @TempDir Path dir;

  @Test
  void aKilledValidatorResumesFromItsStoreWithoutEverSigningTwoHeadersForABlock() throws Exception {
    chain = AnvilSuite.start();
    for (int i = 1; i <= 3; i++) {
      chain.stakeValidator(chain.account(i));
    }
    chain.stake(chain.account(4), AnvilSuite.tl(1_000));
    chain.stake(chain.account(5), AnvilSuite.tl(1_000));
    chain.advanceTime(3_600);
    final BigInteger jobId = chain.createAssignedJob(chain.account(0), List.of(chain.account(4), chain.account(5)));
    final Path deployments = dir.resolve("deployments");
    new DeploymentStore(deployments).write(chain.deployment());
    final Path store = dir.resolve("store");
    final Random random = new Random(7);
    final Map<Long, Set<String>> announced = new HashMap<>();
    long anchoredBefore = 0;

    for (int life = 0; life <= KILLS; life++) {
      final Process child = ChildJvm.start(ValidatorCrashMain.class, store.toString(), chain.rpcUrl(), deployments.toString(),
          Long.toString(chain.deployment().chainId()), jobId.toString(), Long.toString(random.nextLong()));
      final ConcurrentLinkedQueue<String> lines = new ConcurrentLinkedQueue<>();
      final Thread reader = Thread.ofVirtual().start(() -> readLines(child, lines));
      final boolean last = life == KILLS;
      // JVM start on a loaded machine takes seconds: count the life from when the validator runs.
      final long started = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (!lines.contains("ready") && child.isAlive() && System.nanoTime() < started) {
        Thread.sleep(20);
      }
      // Let it work: until it anchors one more block (the last life must), or a random time.
      final long deadline = System.nanoTime() + (last ? TimeUnit.SECONDS.toNanos(60) : TimeUnit.MILLISECONDS.toNanos(random.nextInt(3_000)));
      final long target = anchoredBefore + 1;
      while (System.nanoTime() < deadline && child.isAlive() && !(last && anchored(jobId) >= target)) {
        Thread.sleep(50);
      }
      assertThat(child.isAlive()).as("life %d still running", life).isTrue();
      child.destroyForcibly();
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
      reader.join();
      for (final String line : lines) {
        if (line.startsWith("signed ")) {
          final String[] parts = line.split(" ");
          announced.computeIfAbsent(Long.parseLong(parts[1]), k -> new HashSet<>()).add(parts[2]);
        }
      }
      final long anchored = anchored(jobId);
      checkConsistent(store, jobId, announced, anchored);
      LOG.info("life {}: {} blocks anchored, signatures announced for {} blocks", life, anchored, announced.size());
      if (last) {
        assertThat(anchored).as("the last restart resumed and anchored another block").isGreaterThanOrEqualTo(target);
      }
      anchoredBefore = anchored;
    }
    assertThat(announced).as("signatures announced across its lives").isNotEmpty();
  }

  private void checkConsistent(final Path storeDir, final BigInteger jobId, final Map<Long, Set<String>> announced,
      final long anchored) throws Exception {
    final long head = chain.web3j().ethBlockNumber().send().getBlockNumber().longValueExact();
    final byte[] anchoredHead = chain.suite(chain.account(0)).anchor().head(jobId).send().component1();
    try (NodeStore store = NodeStore.open(storeDir)) {
      for (final Map.Entry<Long, Set<String>> e : announced.entrySet()) {
        assertThat(e.getValue()).as("headers signed for block %d", e.getKey()).hasSize(1);
        assertThat(store.signedHash(new BlockKey(jobId, e.getKey())).map(Hex::of)).as("guard of block %d", e.getKey())
            .contains(e.getValue().iterator().next());
      }
      if (anchored > 0) {
        assertThat(store.signedHash(new BlockKey(jobId, anchored - 1)).map(Hex::of))
            .as("the anchored head needed this validator's signature").contains(Numeric.toHexString(anchoredHead));
      }
      assertThat(store.cursor(Validator.CURSOR).map(Cursor::nextBlock).orElse(0L)).isLessThanOrEqualTo(head + 1);
      store.job(new JobKey(jobId)).map(JobState::decode)
          .ifPresent(j -> assertThat(j.nextIndex()).as("job state not ahead of the chain").isLessThanOrEqualTo(anchored));
    }
  }

  private long anchored(final BigInteger jobId) throws Exception {
    return chain.suite(chain.account(0)).anchor().head(jobId).send().component2().longValueExact();
  }

  private static void readLines(final Process child, final ConcurrentLinkedQueue<String> lines) {
    try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null) {
        lines.add(line);
      }
    } catch (java.io.IOException e) {
      // killed mid-line
    }
  }
}
