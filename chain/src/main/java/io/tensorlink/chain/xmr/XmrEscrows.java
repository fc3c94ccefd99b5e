package io.tensorlink.chain.xmr;

import io.tensorlink.monero.escrow.EscrowRecord;
import io.tensorlink.monero.escrow.EscrowStore;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.List;

/**
 * The node's XMR escrows in its data dir ({@code <data-dir>/xmr/escrows}), one per (job, worker), with
 * the id convention {@code job-<jobId>/<worker account>}.
 */
public final class XmrEscrows {
  private XmrEscrows() {}

  public static EscrowStore store(final Path dataDir) {
    return new EscrowStore(dataDir.resolve("xmr").resolve("escrows"));
  }

  public static String escrowId(final BigInteger jobId, final String workerAccount) {
    return "job-" + jobId + "/" + ArbiterSelection.normalise(workerAccount);
  }

  /** This node's escrows of one job, whatever its role in each. */
  public static List<EscrowRecord> ofJob(final Path dataDir, final BigInteger jobId) {
    final String prefix = "job-" + jobId + "/";
    return store(dataDir).list().stream().filter(r -> r.terms().escrowId().startsWith(prefix)).toList();
  }
}
