package io.tensorlink.p2p.protocol.tensor;

/**
 * Size limits a receiver enforces; a frame over a limit aborts the stream before its payload is
 * buffered.
 *
 * @param maxMetadata largest START payload (default 64 KiB)
 * @param maxChunk largest CHUNK payload (default 4 MiB; senders use 1 MiB)
 * @param maxMessage largest total message a receiver accepts (default 4 GiB)
 */
public record BulkLimits(int maxMetadata, int maxChunk, long maxMessage) {
  public static final BulkLimits DEFAULT = new BulkLimits(64 * 1024, 4 * 1024 * 1024, 4L << 30);

  public BulkLimits {
    if (maxMetadata < 0 || maxChunk < 1 || maxMessage < 0) {
      throw new IllegalArgumentException("bulk limits must be positive");
    }
  }
}
