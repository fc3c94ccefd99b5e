package io.tensorlink.chain.validator;

/** A mined chain block's number and hash, the source of a header's {@code randomness}. */
public record ChainRandomness(long blockNumber, byte[] blockHash) {
  public ChainRandomness {
    if (blockHash.length != 32) {
      throw new IllegalArgumentException("block hash must be 32 bytes");
    }
    blockHash = blockHash.clone();
  }

  @Override
  public byte[] blockHash() {
    return blockHash.clone();
  }
}
