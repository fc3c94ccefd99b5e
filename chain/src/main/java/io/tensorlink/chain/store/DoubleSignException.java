package io.tensorlink.chain.store;

import java.util.HexFormat;

/**
 * A batch tried to record a signature over a second, different header for a (job, index) the
 * signing guard already holds: the batch was not written and the signature must not leave.
 */
public final class DoubleSignException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public DoubleSignException(final BlockKey key, final byte[] guarded, final byte[] attempted) {
    super("refusing to sign header 0x" + HexFormat.of().formatHex(attempted) + " for job " + key.jobId()
        + " block " + key.index() + ": header 0x" + HexFormat.of().formatHex(guarded) + " was already signed");
  }
}
