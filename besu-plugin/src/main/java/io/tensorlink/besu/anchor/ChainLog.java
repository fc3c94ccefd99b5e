package io.tensorlink.besu.anchor;

import java.util.List;
import java.util.Objects;

/**
 * One contract log as the plugin receives it from Besu's log events (hex lower case).
 *
 * @param address the emitting contract
 * @param topics topic 0 (the event signature hash) first
 * @param data the non-indexed fields, ABI-encoded
 * @param blockNumber the block that holds it
 * @param removed true when a reorganisation took the block out of the chain
 */
public record ChainLog(String address, List<String> topics, String data, long blockNumber, boolean removed) {
  public ChainLog {
    address = Hex.normalize(address, 20, "log address");
    topics = topics.stream().map(t -> Hex.normalize(t, 32, "log topic")).toList();
    Objects.requireNonNull(data, "data");
  }
}
