package io.tensorlink.bench.pol;

import io.tensorlink.chain.pol.EthAddress;
import io.tensorlink.chain.pol.Sampling;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;

/**
 * Detection of a worker that fakes a fraction f of its records, against the job's verify rate p and
 * the number V of validators that check a block.
 *
 * <p>Model: each validator samples each record independently with probability p (the predicate
 * hashes the validator's address with the leaf, so samples of different validators are
 * independent, and the worker cannot know them when it commits, since the randomness is a later
 * block hash). A faked record escapes all V validators with probability (1 − p)^V; a worker that
 * fakes k = ⌈f·M⌉ of its M records escapes with (1 − p)^(V·k), so
 * {@code P(detect) = 1 − (1 − p)^(V·⌈f·M⌉)}. Faults the structural check sees (batch off the plan,
 * broken links, replica disagreement, replays) are caught with probability 1 and are not in
 * the table; the model covers the structurally consistent lies only re-execution finds.
 *
 * <p>The simulation runs the real predicate ({@link Sampling#mandatory}, keccak256) on random
 * leaves, randomness and validator addresses, and counts jobs in which at least one faked record
 * landed in some validator's sample.
 *
 * <p>Usage: {@code DetectionBench [recordsPerWorker] [trials]}.
 */
public final class DetectionBench {
  private DetectionBench() {}

  public static void main(final String[] args) {
    final int records = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    final int trials = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
    final double[] fs = {0.005, 0.01, 0.05, 0.10};
    final double[] ps = {0.01, 0.05, 0.10};
    final int[] vs = {1, 4, 10, 20};
    System.out.printf(Locale.ROOT, "worker with M = %d records; %d Monte-Carlo jobs per row%n", records, trials);
    System.out.println("f\tp\tV\tfaked k\tP(escape one record)\tP(detect) analytic\tP(detect) simulated");
    final SplittableRandom rnd = new SplittableRandom(2026);
    for (final double f : fs) {
      for (final double p : ps) {
        for (final int v : vs) {
          final int k = (int) Math.ceil(f * records);
          final double analytic = 1 - Math.pow(1 - p, (double) v * k);
          final double simulated = simulate(rnd, k, (int) Math.round(p * Sampling.PPM), v, trials);
          System.out.printf(Locale.ROOT, "%.3f\t%.2f\t%d\t%d\t%.4f\t%.4f\t%.4f%n", f, p, v, k, Math.pow(1 - p, v),
              analytic, simulated);
        }
      }
    }
  }

  /** The share of trials in which some validator's mandatory sample hits one of k faked leaves. */
  static double simulate(final SplittableRandom rnd, final int k, final int ratePpm, final int validators,
      final int trials) {
    int detected = 0;
    for (int t = 0; t < trials; t++) {
      final Bytes32 randomness = random32(rnd);
      final List<EthAddress> vals = new ArrayList<>();
      for (int i = 0; i < validators; i++) {
        final byte[] a = new byte[20];
        rnd.nextBytes(a);
        vals.add(new EthAddress(Bytes.wrap(a)));
      }
      search:
      for (int j = 0; j < k; j++) {
        final Bytes32 leaf = random32(rnd);
        for (final EthAddress v : vals) {
          if (Sampling.mandatory(randomness, v, leaf, ratePpm)) {
            detected++;
            break search;
          }
        }
      }
    }
    return (double) detected / trials;
  }

  private static Bytes32 random32(final SplittableRandom rnd) {
    final byte[] b = new byte[32];
    rnd.nextBytes(b);
    return Bytes32.wrap(b);
  }
}
