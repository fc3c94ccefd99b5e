package io.tensorlink.chain.job.data;

/** No provider delivered a chunk whose hash matches the index; the message lists each provider's failure. */
public final class ChunkFetchException extends RuntimeException {
  public ChunkFetchException(final String message) {
    super(message);
  }
}
