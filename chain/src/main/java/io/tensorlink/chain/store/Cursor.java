package io.tensorlink.chain.store;

/**
 * A chain-follow position (value of {@link Column#CURSOR}): every event in chain blocks below
 * {@code nextBlock} has been applied; {@code lastHash} is the hash of block {@code nextBlock - 1}
 * as it was seen, so a reorg below the confirmation depth can be noticed.
 */
public record Cursor(long nextBlock, byte[] lastHash) {
  public Cursor {
    KeyCodec.requireUnsigned(nextBlock, "cursor block");
    KeyCodec.requireLength(lastHash, 32, "cursor block hash");
    lastHash = lastHash.clone();
  }

  @Override
  public byte[] lastHash() {
    return lastHash.clone();
  }

  byte[] bytes() {
    return java.nio.ByteBuffer.allocate(40).putLong(nextBlock).put(lastHash).array();
  }

  static Cursor decode(final byte[] value) {
    final java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(value);
    final long next = b.getLong();
    final byte[] hash = new byte[32];
    b.get(hash);
    return new Cursor(next, hash);
  }

  @Override
  public boolean equals(final Object o) {
    return o instanceof Cursor c && c.nextBlock == nextBlock && java.util.Arrays.equals(c.lastHash, lastHash);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(nextBlock) * 31 + java.util.Arrays.hashCode(lastHash);
  }

  @Override
  public String toString() {
    return "Cursor[nextBlock=" + nextBlock + ", lastHash=0x" + java.util.HexFormat.of().formatHex(lastHash) + "]";
  }
}
