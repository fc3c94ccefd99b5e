package io.tensorlink.besu.anchor;

import java.util.List;
import java.util.Objects;

/**
 * One log of an imported block's receipts, as the plugin reads it from Besu (hex lower case).
 *
 * @param address the emitting contract
 * @param topics topic 0 (the event signature hash) first
 * @param data the non-indexed fields, ABI-encoded
 * @param blockNumber the block that holds it
 */
public record ChainLog(String address, List<String> topics, String data, long blockNumber) {
  public ChainLog {
    address = Hex.normalize(address, 20, "log address");
    topics = topics.stream().map(t -> Hex.normalize(t, 32, "log topic")).toList();
    Objects.requireNonNull(data, "data");
  }
}
