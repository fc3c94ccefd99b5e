package io.tensorlink.monero.rpc;

import java.util.Map;

/** Typed calls to monerod's RPC. Only what the escrow and the regtest launcher need. */
public final class DaemonRpc {
  private final JsonRpcClient rpc;

  public DaemonRpc(final RpcEndpoint endpoint) {
    this.rpc = new JsonRpcClient(endpoint);
  }

  public RpcEndpoint endpoint() {
    return rpc.endpoint();
  }

  public Info info() {
    return rpc.call("get_info", Map.of(), Info.class);
  }

  /** Regtest only: mines {@code blocks} blocks paying {@code address}. */
  public long generateBlocks(final int blocks, final String address) {
    return rpc.call("generateblocks", Map.of("amount_of_blocks", blocks, "wallet_address", address),
        GenerateResult.class).height();
  }

  public record Info(long height, boolean offline, String status) {}

  record GenerateResult(long height) {}
}
