package io.tensorlink.besu.anchor;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.web3j.crypto.Hash;

/**
 * A PoLBlock v2 header as PROTOCOL.md fixes it, with its EIP-712 struct hash. Hashes are 0x-hex.
 *
 * <p>The plugin's own small copy until the PoL protocol types (io.tensorlink.chain.pol) are merged;
 * its golden vector H1 is checked in PolHeaderTest.
 */
public record PolHeader(
    BigInteger jobId,
    long index,
    String parent,
    long stepFrom,
    long stepTo,
    String stepsRoot,
    String payoutsRoot,
    String checkpointRoot,
    String randomness,
    long randomnessBlock) {

  public static final String TYPE = "PoLBlock(uint256 jobId,uint64 index,bytes32 parent,uint64 stepFrom,uint64 stepTo,"
      + "bytes32 stepsRoot,bytes32 payoutsRoot,bytes32 checkpointRoot,bytes32 randomness,uint64 randomnessBlock)";

  /** The tuple as it appears in the {@code submit} function signature. */
  public static final String ABI_TUPLE = "(uint256,uint64,bytes32,uint64,uint64,bytes32,bytes32,bytes32,bytes32,uint64)";

  private static final byte[] TYPE_HASH = Hash.sha3(TYPE.getBytes(StandardCharsets.UTF_8));

  public PolHeader {
    Objects.requireNonNull(jobId, "jobId");
    parent = Hex.normalize(parent, 32, "parent");
    stepsRoot = Hex.normalize(stepsRoot, 32, "stepsRoot");
    payoutsRoot = Hex.normalize(payoutsRoot, 32, "payoutsRoot");
    checkpointRoot = Hex.normalize(checkpointRoot, 32, "checkpointRoot");
    randomness = Hex.normalize(randomness, 32, "randomness");
  }

  /** hashStruct(header) = keccak256(abi.encode(POL_BLOCK_TYPEHASH, fields...)): the block hash. */
  public byte[] hash() {
    return Hash.sha3(encodeWithTypeHash());
  }

  /** The ten ABI words of the header (it is a static tuple: encoded in place). */
  public byte[] abiWords() {
    final ByteBuffer out = ByteBuffer.allocate(10 * 32);
    out.put(Words.uint(jobId));
    out.put(Words.uint(BigInteger.valueOf(index)));
    out.put(Hex.parse(parent, 32, "parent"));
    out.put(Words.uint(BigInteger.valueOf(stepFrom)));
    out.put(Words.uint(BigInteger.valueOf(stepTo)));
    out.put(Hex.parse(stepsRoot, 32, "stepsRoot"));
    out.put(Hex.parse(payoutsRoot, 32, "payoutsRoot"));
    out.put(Hex.parse(checkpointRoot, 32, "checkpointRoot"));
    out.put(Hex.parse(randomness, 32, "randomness"));
    out.put(Words.uint(BigInteger.valueOf(randomnessBlock)));
    return out.array();
  }

  private byte[] encodeWithTypeHash() {
    return ByteBuffer.allocate(11 * 32).put(TYPE_HASH).put(abiWords()).array();
  }
}
