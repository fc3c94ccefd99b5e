package io.tensorlink.chain.pol.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tensorlink.chain.pol.Abi;
import io.tensorlink.chain.pol.work.RecordKey;
import java.math.BigInteger;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.tuweni.bytes.Bytes32;
import org.junit.jupiter.api.Test;

class VerdictCacheTest {
  private static final RecordKey AT = new RecordKey(BigInteger.ONE, 0, 0, 0);

  private static CompletableFuture<RecordVerdict> valid(final Bytes32 leaf, final AtomicInteger runs) {
    runs.incrementAndGet();
    return CompletableFuture.completedFuture(RecordVerdict.valid(leaf, AT, "ok"));
  }

  @Test
  void computesOncePerLeafEvictsTheLeastRecentAndRetriesFailures() {
    final VerdictCache cache = new VerdictCache(2);
    final AtomicInteger runs = new AtomicInteger();
    final Bytes32 a = Abi.keccak("a");
    final Bytes32 b = Abi.keccak("b");
    final Bytes32 c = Abi.keccak("c");
    cache.get(a, () -> valid(a, runs));
    cache.get(a, () -> valid(a, runs));
    assertThat(runs.get()).isEqualTo(1);
    cache.get(b, () -> valid(b, runs));
    cache.get(a, () -> valid(a, runs)); // a is now the most recent
    cache.get(c, () -> valid(c, runs)); // evicts b
    assertThat(cache.size()).isEqualTo(2);
    cache.get(b, () -> valid(b, runs));
    assertThat(runs.get()).isEqualTo(4);

    final Bytes32 d = Abi.keccak("d");
    final CompletableFuture<RecordVerdict> failed = cache.get(d,
        () -> CompletableFuture.failedFuture(new IllegalStateException("pool closed")));
    assertThatThrownBy(failed::join).hasMessageContaining("pool closed");
    cache.get(d, () -> valid(d, runs));
    assertThat(runs.get()).isEqualTo(5);
    assertThatThrownBy(() -> new VerdictCache(0)).hasMessageContaining("capacity must be >= 1");
  }

  @Test
  void keepsAProvenMismatchButAsksAgainForInputsThatWereUnavailable() {
    final VerdictCache cache = new VerdictCache(8);
    final AtomicInteger runs = new AtomicInteger();
    final Bytes32 lazy = Abi.keccak("lazy");
    final Bytes32 slow = Abi.keccak("slow");
    for (int i = 0; i < 2; i++) {
      cache.get(lazy, () -> {
        runs.incrementAndGet();
        return CompletableFuture.completedFuture(RecordVerdict.invalid(lazy, AT, Reason.PARAMS_AFTER_MISMATCH, "differs"));
      });
    }
    assertThat(runs.get()).as("a re-executed mismatch is final").isEqualTo(1);
    final CompletableFuture<RecordVerdict> timedOut = cache.get(slow, () -> CompletableFuture.completedFuture(
        RecordVerdict.invalid(slow, AT, Reason.INPUT_UNAVAILABLE, "did not serve PARAMS_BEFORE: timed out")));
    assertThat(timedOut.join().isValid()).isFalse();
    assertThat(cache.get(slow, () -> valid(slow, runs)).join().isValid()).as("fetched again, and served this time")
        .isTrue();
    assertThat(runs.get()).isEqualTo(2);
  }
}
