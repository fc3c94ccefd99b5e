package io.tensorlink.chain.xmr;

import io.tensorlink.monero.escrow.EscrowRecord;
import io.tensorlink.monero.escrow.EscrowStore;
import io.tensorlink.monero.escrow.StoreKey;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.List;

/**
 * The node's XMR escrows in its data dir ({@code <data-dir>/xmr/escrows}), one per (job, worker), with
 * the id convention {@code job-<jobId>/<worker account>}.
 */
public final class XmrEscrows {
  private XmrEscrows() {}

  public static Path dir(final Path dataDir) {
    return dataDir.resolve("xmr").resolve("escrows");
  }

  /** The store, encrypted with {@code key} (the node's: {@link AccountSigner#storeKey()}). */
  public static EscrowStore store(final Path dataDir, final StoreKey key) {
    return new EscrowStore(dir(dataDir), key);
  }

  public static String escrowId(final BigInteger jobId, final String workerAccount) {
    return "job-" + jobId + "/" + ArbiterSelection.normalise(workerAccount);
  }

  /** The job of escrow {@code job-<jobId>/<worker>}. */
  public static BigInteger jobIdOf(final String escrowId) {
    final int slash = escrowId.indexOf('/');
    if (!escrowId.startsWith("job-") || slash < 5 || !escrowId.substring(4, slash).matches("[0-9]+")) {
      throw new IllegalArgumentException("escrow id " + escrowId + " is not job-<jobId>/<worker>");
    }
    return new BigInteger(escrowId.substring(4, slash));
  }

  /** This node's escrows of one job, whatever its role in each. */
  public static List<EscrowRecord> ofJob(final Path dataDir, final StoreKey key, final BigInteger jobId) {
    final String prefix = "job-" + jobId + "/";
    return store(dataDir, key).list().stream().filter(r -> r.terms().escrowId().startsWith(prefix)).toList();
  }
}
