package io.tensorlink.chain.xmr;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import org.web3j.crypto.Hash;
import org.web3j.utils.Numeric;

/**
 * The arbiter of a (job, worker) escrow: a validator of the active set, the same on every node. The
 * candidates are the active validators minus the client and the worker, sorted by address; the index is
 * {@code keccak256("tl-xmr-arbiter" ‖ jobId (32 bytes) ‖ worker (20 bytes)) mod n}. Neither the client
 * nor the worker chooses it; a different worker of the same job usually gets another arbiter.
 */
public final class ArbiterSelection {
  private static final byte[] DOMAIN = "tl-xmr-arbiter".getBytes(StandardCharsets.US_ASCII);

  private ArbiterSelection() {}

  /**
   * @param activeValidators the epoch's active set (0x addresses, any order or case)
   * @throws IllegalArgumentException when no validator other than the client and the worker is active
   */
  public static String select(final BigInteger jobId, final String client, final String worker,
      final List<String> activeValidators) {
    final String c = normalise(client);
    final String w = normalise(worker);
    final List<String> candidates = activeValidators.stream().map(ArbiterSelection::normalise)
        .filter(a -> !a.equals(c) && !a.equals(w)).distinct().sorted().toList();
    if (candidates.isEmpty()) {
      throw new IllegalArgumentException("no active validator other than the client and the worker can arbitrate job " + jobId);
    }
    final byte[] seed = new byte[DOMAIN.length + 32 + 20];
    System.arraycopy(DOMAIN, 0, seed, 0, DOMAIN.length);
    System.arraycopy(Numeric.toBytesPadded(jobId, 32), 0, seed, DOMAIN.length, 32);
    System.arraycopy(Numeric.hexStringToByteArray(w), 0, seed, DOMAIN.length + 32, 20);
    final BigInteger h = new BigInteger(1, Hash.sha3(seed));
    return candidates.get(h.mod(BigInteger.valueOf(candidates.size())).intValue());
  }

  static String normalise(final String address) {
    final String a = address.toLowerCase(Locale.ROOT);
    if (!a.matches("0x[0-9a-f]{40}")) {
      throw new IllegalArgumentException("not an account address: " + address);
    }
    return a;
  }
}
