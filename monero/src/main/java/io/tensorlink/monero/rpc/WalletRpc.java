package io.tensorlink.monero.rpc;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Typed calls to monero-wallet-rpc (0.18, RPC 1.25). One instance talks to one wallet-rpc server, which
 * has at most one wallet open at a time. Amounts are piconero ({@code 1 XMR = 10^12}).
 */
public final class WalletRpc {
  private final JsonRpcClient rpc;

  public WalletRpc(final RpcEndpoint endpoint) {
    this.rpc = new JsonRpcClient(endpoint);
  }

  public RpcEndpoint endpoint() {
    return rpc.endpoint();
  }

  public void createWallet(final String filename, final String password) {
    rpc.call("create_wallet", Map.of("filename", filename, "password", password, "language", "English"), Empty.class);
  }

  public void openWallet(final String filename, final String password) {
    rpc.call("open_wallet", Map.of("filename", filename, "password", password), Empty.class);
  }

  /** Writes the open wallet to disk (multisig state included), so a crash of the server loses nothing. */
  public void store() {
    rpc.call("store", Map.of(), Empty.class);
  }

  /** Answers without an open wallet: the readiness probe. */
  public int version() {
    return rpc.call("get_version", Map.of(), VersionResult.class).version();
  }

  public String address() {
    return rpc.call("get_address", Map.of("account_index", 0), AddressResult.class).address();
  }

  public Balance balance() {
    return rpc.call("get_balance", Map.of("account_index", 0), Balance.class);
  }

  public void refresh() {
    rpc.call("refresh", Map.of(), Empty.class);
  }

  /** A transfer; on a multisig wallet the result carries the unsigned {@code multisigTxset}, not a relayed tx. */
  public TransferResult transfer(final List<Destination> destinations) {
    final Map<String, Object> p = new LinkedHashMap<>();
    p.put("destinations", destinations);
    p.put("get_tx_key", true);
    p.put("get_tx_hex", false);
    return rpc.call("transfer", p, TransferResult.class);
  }

  /** Sends every unlocked output to {@code address}; on a multisig wallet returns a {@code multisigTxset}. */
  public SweepResult sweepAll(final String address) {
    return rpc.call("sweep_all", Map.of("address", address, "get_tx_keys", true), SweepResult.class);
  }

  public String prepareMultisig() {
    return rpc.call("prepare_multisig", Map.of("enable_multisig_experimental", true), MultisigInfoResult.class)
        .multisigInfo();
  }

  public MultisigRoundResult makeMultisig(final List<String> infos, final int threshold, final String password) {
    return rpc.call("make_multisig", Map.of("multisig_info", infos, "threshold", threshold, "password", password),
        MultisigRoundResult.class);
  }

  public MultisigRoundResult exchangeMultisigKeys(final List<String> infos, final String password) {
    return rpc.call("exchange_multisig_keys", Map.of("multisig_info", infos, "password", password),
        MultisigRoundResult.class);
  }

  public MultisigStatus isMultisig() {
    return rpc.call("is_multisig", Map.of(), MultisigStatus.class);
  }

  public String exportMultisigInfo() {
    return rpc.call("export_multisig_info", Map.of(), InfoResult.class).info();
  }

  public int importMultisigInfo(final List<String> infos) {
    return rpc.call("import_multisig_info", Map.of("info", infos), ImportResult.class).nOutputs();
  }

  public TransferDescription describeMultisigTransfer(final String multisigTxset) {
    return rpc.call("describe_transfer", Map.of("multisig_txset", multisigTxset), TransferDescription.class);
  }

  public SignResult signMultisig(final String txDataHex) {
    return rpc.call("sign_multisig", Map.of("tx_data_hex", txDataHex), SignResult.class);
  }

  public List<String> submitMultisig(final String txDataHex) {
    return rpc.call("submit_multisig", Map.of("tx_data_hex", txDataHex), TxHashList.class).txHashList();
  }

  public String txProof(final String txid, final String address, final String message) {
    return rpc.call("get_tx_proof", Map.of("txid", txid, "address", address, "message", message),
        SignatureResult.class).signature();
  }

  public TxCheck checkTxProof(final String txid, final String address, final String message, final String signature) {
    return rpc.call("check_tx_proof",
        Map.of("txid", txid, "address", address, "message", message, "signature", signature), TxCheck.class);
  }

  public TxCheck checkTxKey(final String txid, final String txKey, final String address) {
    return rpc.call("check_tx_key", Map.of("txid", txid, "tx_key", txKey, "address", address), TxCheck.class);
  }

  record Empty() {}

  record VersionResult(int version) {}

  record AddressResult(String address) {}

  record MultisigInfoResult(String multisigInfo) {}

  record InfoResult(String info) {}

  record ImportResult(int nOutputs) {}

  record SignatureResult(String signature) {}

  record TxHashList(List<String> txHashList) {}

  public record Destination(long amount, String address) {
    public Destination {
      Objects.requireNonNull(address, "address");
      if (amount <= 0) {
        throw new IllegalArgumentException("destination amount must be positive, got " + amount);
      }
    }
  }

  public record Balance(long balance, long unlockedBalance, boolean multisigImportNeeded, long blocksToUnlock) {}

  public record TransferResult(long amount, long fee, String txHash, String txKey, String multisigTxset) {}

  public record SweepResult(List<String> txHashList, List<String> txKeyList, List<Long> amountList,
      List<Long> feeList, String multisigTxset) {}

  public record MultisigRoundResult(String address, String multisigInfo) {}

  public record MultisigStatus(boolean multisig, boolean ready, int threshold, int total) {}

  public record SignResult(String txDataHex, List<String> txHashList) {}

  /** check_tx_proof / check_tx_key: {@code good} is absent (false) for check_tx_key. */
  public record TxCheck(boolean good, long received, long confirmations, boolean inPool) {}

  public record TransferDescription(List<Description> desc) {
    public record Description(long amountIn, long amountOut, List<Recipient> recipients, String changeAddress,
        long changeAmount, long fee) {}

    public record Recipient(String address, long amount) {}
  }
}
