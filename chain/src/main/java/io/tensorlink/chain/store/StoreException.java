package io.tensorlink.chain.store;

import java.nio.file.Path;

/**
 * The node store could not be opened or written; {@link #reason()} tells the caller what kind of
 * problem it is and the message names the directory and what to do.
 */
public final class StoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Why the store failed. */
  public enum Reason {
    /** Another process (or another open handle in this one) holds the directory's lock. */
    LOCKED,
    /** RocksDB found damaged files, or the directory is not a TensorLink store. */
    CORRUPT,
    /** The store was written by a newer TensorLink with a schema this version cannot read. */
    NEWER_SCHEMA,
    /** A read or write failed for another reason (disk full, I/O error). */
    IO,
    /** The store was closed (its node is stopping) before this read or write. */
    CLOSED
  }

  private final Reason reason;
  private final transient Path directory;

  public StoreException(final Reason reason, final Path directory, final String message, final Throwable cause) {
    super(message, cause);
    this.reason = reason;
    this.directory = directory;
  }

  public Reason reason() {
    return reason;
  }

  public Path directory() {
    return directory;
  }
}
