package io.tensorlink.bench.p2p;

import java.util.Locale;

/**
 * Entry point of {@code bench/p2p.sh}'s Java side. Prints one JSON line per measurement on stdout.
 *
 * <pre>
 *   P2pBench bulk BYTES RUNS [WARMUP]  Java↔Java /tl/bulk/1.0.0 over TCP + Noise + yamux on loopback,
 *                                      after WARMUP unreported runs (default 1)
 *   P2pBench gossip NODES MESSAGES     publish→deliver latency in a gossipsub network on loopback
 *   P2pBench attack MESSAGES SEED      attack scenarios and gossip scale in the simulated network
 *                                      (markdown tables, not JSON)
 * </pre>
 */
public final class P2pBench {
  private P2pBench() {}

  public static void main(final String[] args) throws Exception {
    final boolean bulk = args.length > 0 && "bulk".equals(args[0]);
    if (args.length != 3 && !(bulk && args.length == 4)) {
      usage("expected 3 arguments, got " + args.length);
    }
    final long a = parse(args[1], "first number");
    final int b = (int) parse(args[2], "second number");
    switch (args[0]) {
      case "bulk" -> BulkThroughput.run(a, b, args.length == 4 ? (int) parse(args[3], "warm-up runs") : 1);
      case "gossip" -> GossipLatency.run((int) a, b);
      case "attack" -> GossipAttack.run((int) a, b);
      default -> usage("unknown mode '" + args[0] + "'");
    }
    System.exit(0);
  }

  private static long parse(final String text, final String what) {
    try {
      final long v = Long.parseLong(text);
      if (v <= 0) {
        usage(what + " must be positive, got " + text);
      }
      return v;
    } catch (final NumberFormatException e) {
      usage(what + " is not a number: '" + text + "'");
      return 0;
    }
  }

  private static void usage(final String problem) {
    System.err.println("P2pBench: " + problem);
    System.err.println("usage: P2pBench bulk BYTES RUNS [WARMUP] | P2pBench gossip NODES MESSAGES | P2pBench attack MESSAGES SEED");
    System.exit(2);
  }

  static String json(final String format, final Object... args) {
    return String.format(Locale.ROOT, format, args);
  }
}
