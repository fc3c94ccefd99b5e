package io.tensorlink.chain.job.worker;

import io.tensorlink.compute.rng.CounterRng;
import io.tensorlink.compute.tensor.NamedTensors;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The test-only fault injector ({@code --fault lazy:<fraction>}): on a deterministic fraction of
 * steps the worker does not apply the update it computed but a slightly different one (one weight
 * nudged), as a worker cutting corners would, and carries those parameters on. Its records chain
 * correctly (the next step's {@code paramsBefore} is the nudged {@code paramsAfter}; its neighbours'
 * links match what it sent), so the lie passes every structural check and only re-executing a
 * faulted step's record from its inputs exposes it: only a validator whose mandatory sample holds
 * such a record sees the fraud. Which steps are faulted is a pure function of (seed, step), so a
 * test knows them in advance. (With replicas, the faulted replica's roots after differ from its
 * peers', which the structural check refuses outright.)
 *
 * @param fraction share of steps faulted, in (0, 1]
 */
public record LazyFault(double fraction, long seed) {
  /** Chain ids where the injector may run: anvil's and the TensorLink devnet genesis's. */
  public static final Set<Long> DEVNET_CHAIN_IDS = Set.of(31_337L, 7_701L);
  public static final String FLAG = "--fault";
  private static final long PURPOSE = CounterRng.nameId("tensorlink.fault.lazy");

  public LazyFault {
    if (!(fraction > 0 && fraction <= 1)) {
      throw new IllegalArgumentException(FLAG + " lazy:<fraction> needs a fraction in (0, 1], got " + fraction);
    }
  }

  /**
   * Parses the flag's value.
   *
   * @param value {@code lazy:<fraction>}, or null/empty for an honest worker
   * @throws IllegalArgumentException naming {@value #FLAG} when the chain is not a devnet or the value is malformed
   */
  public static Optional<LazyFault> parse(final String value, final long chainId, final long seed) {
    if (value == null || value.isEmpty()) {
      return Optional.empty();
    }
    if (!DEVNET_CHAIN_IDS.contains(chainId)) {
      throw new IllegalArgumentException(FLAG + " is a test-only flag and is refused on chain id " + chainId
          + " (only devnet chain ids " + String.join(", ", DEVNET_CHAIN_IDS.stream().sorted().map(String::valueOf)
          .toList()) + " allow it)");
    }
    final String v = value.toLowerCase(Locale.ROOT);
    if (!v.startsWith("lazy:")) {
      throw new IllegalArgumentException(FLAG + " takes lazy:<fraction>, got '" + value + "'");
    }
    try {
      return Optional.of(new LazyFault(Double.parseDouble(v.substring("lazy:".length())), seed));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(FLAG + " lazy:<fraction> needs a number, got '" + value + "'", e);
    }
  }

  public boolean faulted(final long step) {
    return CounterRng.uniform(seed, PURPOSE, step, 0) < fraction;
  }

  /** What the lazy worker keeps instead of its true update: {@code params} with its first weight nudged, in place. */
  public void nudge(final NamedTensors params) {
    final float[] w = params.get(0).data();
    w[0] = w[0] + 1e-3f;
  }
}
