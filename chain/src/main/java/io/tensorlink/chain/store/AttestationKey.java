package io.tensorlink.chain.store;

import java.nio.ByteBuffer;

/**
 * Key of {@link Column#ATTESTATIONS}: validator {@code validator}'s attestation over header
 * {@code blockHash} at {@code block}. Keyed by header hash so competing proposals never mix.
 *
 * @param validator the 20-byte account address
 */
public record AttestationKey(BlockKey block, byte[] blockHash, byte[] validator) {
  static final int LENGTH = BlockKey.LENGTH + 32 + 20;

  public AttestationKey {
    KeyCodec.requireLength(blockHash, 32, "block hash");
    KeyCodec.requireLength(validator, 20, "validator address");
    blockHash = blockHash.clone();
    validator = validator.clone();
  }

  @Override
  public byte[] blockHash() {
    return blockHash.clone();
  }

  @Override
  public byte[] validator() {
    return validator.clone();
  }

  byte[] bytes() {
    return ByteBuffer.allocate(LENGTH).put(block.bytes()).put(blockHash).put(validator).array();
  }

  /** The prefix shared by every attestation over {@code blockHash} at {@code block}. */
  static byte[] headerPrefix(final BlockKey block, final byte[] blockHash) {
    return ByteBuffer.allocate(BlockKey.LENGTH + 32).put(block.bytes()).put(blockHash).array();
  }

  static AttestationKey decode(final byte[] key) {
    final ByteBuffer b = ByteBuffer.wrap(key);
    final byte[] blockPart = new byte[BlockKey.LENGTH];
    b.get(blockPart);
    final byte[] hash = new byte[32];
    b.get(hash);
    final byte[] who = new byte[20];
    b.get(who);
    return new AttestationKey(BlockKey.decode(blockPart), hash, who);
  }

  @Override
  public boolean equals(final Object o) {
    return o instanceof AttestationKey k && k.block.equals(block)
        && java.util.Arrays.equals(k.blockHash, blockHash) && java.util.Arrays.equals(k.validator, validator);
  }

  @Override
  public int hashCode() {
    return block.hashCode() * 31 + java.util.Arrays.hashCode(blockHash) * 17 + java.util.Arrays.hashCode(validator);
  }

  @Override
  public String toString() {
    final java.util.HexFormat hex = java.util.HexFormat.of();
    return "AttestationKey[" + block + ", 0x" + hex.formatHex(blockHash) + ", 0x" + hex.formatHex(validator) + "]";
  }
}
