package io.tensorlink.besu.anchor;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.web3j.crypto.Hash;

/**
 * The suite events the plugin follows, decoded from raw logs: PoLAnchor's {@code BlockAnchored} and
 * {@code BlockCommitted} (job heads and anchored headers) and StakeManager's active-set and stake
 * events (the live validator set).
 * Event layouts are the ones in contracts/src/interfaces; when a contract changes an event, its
 * signature and field positions here change with it (AnvilReplayIT decodes a real run's logs).
 */
public final class ContractEvents {
  public static final String BLOCK_ANCHORED = topic(
      "BlockAnchored(uint256,uint64,bytes32,bytes32,uint64,uint64,bytes32,bytes32,bytes32,address[],uint256,uint256)");
  public static final String ACTIVE_SET_JOINED = topic("ActiveSetJoined(address,uint256)");
  public static final String ACTIVE_SET_LEFT = topic("ActiveSetLeft(address,uint256)");
  public static final String BLOCK_COMMITTED = topic("BlockCommitted(uint256,uint64,bytes32,uint64,bytes32,bytes32)");
  public static final String STAKED = topic("Staked(address,uint256,uint256)");
  public static final String SLASHED = topic("Slashed(address,uint256,address)");
  public static final String UNSTAKE_REQUESTED = topic("UnstakeRequested(address,uint256,uint256,uint64)");

  private ContractEvents() {}

  /** A decoded {@code BlockAnchored}: the header fields it carries, plus the signers. */
  public record Anchored(
      BigInteger jobId, long index, String blockHash, String parent, long stepFrom, long stepTo,
      String stepsRoot, String payoutsRoot, String checkpointRoot, List<String> signers, long blockNumber) {}

  public static Anchored anchored(final ChainLog log) {
    expect(log, BLOCK_ANCHORED, 4);
    final byte[] data = Hex.parse(log.data(), log.data().length() / 2 - 1, "BlockAnchored data");
    final int signersAt = Words.asUint(word(data, 6)).intValueExact();
    final int count = Words.asUint(Words.at(data, signersAt)).intValueExact();
    final List<String> signers = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      signers.add(address(Words.at(data, signersAt + 32 + i * 32)));
    }
    return new Anchored(
        uint(log.topics().get(1)),
        uint(log.topics().get(2)).longValue(),
        log.topics().get(3),
        Hex.of(word(data, 0)),
        Words.asUint(word(data, 1)).longValue(),
        Words.asUint(word(data, 2)).longValue(),
        Hex.of(word(data, 3)),
        Hex.of(word(data, 4)),
        Hex.of(word(data, 5)),
        signers,
        log.blockNumber());
  }

  /** A decoded {@code BlockCommitted}: the header fields {@code BlockAnchored} does not carry. */
  public record Committed(BigInteger jobId, long index, String randomness, long randomnessBlock) {}

  public static Committed committed(final ChainLog log) {
    expect(log, BLOCK_COMMITTED, 3);
    final byte[] data = Hex.parse(log.data(), log.data().length() / 2 - 1, "BlockCommitted data");
    return new Committed(uint(log.topics().get(1)), uint(log.topics().get(2)).longValue(), Hex.of(word(data, 0)),
        Words.asUint(word(data, 1)).longValue());
  }

  /** The indexed address of an active-set or stake event (topic 1). */
  public static String account(final ChainLog log) {
    return address(Hex.parse(log.topics().get(1), 32, "account topic"));
  }

  /** Word {@code i} of the log's data as an unsigned integer. */
  public static BigInteger dataUint(final ChainLog log, final int i) {
    final byte[] data = Hex.parse(log.data(), log.data().length() / 2 - 1, "log data");
    return Words.asUint(word(data, i));
  }

  public static BigInteger uint(final String topic) {
    return Words.asUint(Hex.parse(topic, 32, "topic"));
  }

  static String topic(final String signature) {
    return Hex.of(Hash.sha3(signature.getBytes(StandardCharsets.UTF_8)));
  }

  private static byte[] word(final byte[] data, final int i) {
    if (data.length < (i + 1) * 32) {
      throw new IllegalArgumentException("log data too short for word " + i);
    }
    return Words.at(data, i * 32);
  }

  private static String address(final byte[] word) {
    return Hex.of(java.util.Arrays.copyOfRange(word, 12, 32));
  }

  private static void expect(final ChainLog log, final String topic0, final int topics) {
    if (log.topics().size() != topics || !log.topics().get(0).equals(topic0)) {
      throw new IllegalArgumentException("not the expected event: " + log.topics());
    }
  }
}
