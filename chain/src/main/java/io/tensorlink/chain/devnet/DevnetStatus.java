package io.tensorlink.chain.devnet;

import java.util.Optional;

/**
 * What {@code devnet status} reports.
 *
 * @param state the recorded state, empty when no devnet was started from this data dir
 * @param running whether the recorded process is alive and its RPC answers
 * @param chainId the chain id the RPC reports (empty when not running)
 * @param blockNumber the latest block number (empty when not running)
 */
public record DevnetStatus(
    Optional<DevnetState> state, boolean running, Optional<Long> chainId, Optional<Long> blockNumber) {

  static DevnetStatus stopped(final Optional<DevnetState> state) {
    return new DevnetStatus(state, false, Optional.empty(), Optional.empty());
  }
}
