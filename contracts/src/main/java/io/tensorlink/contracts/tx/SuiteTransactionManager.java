package io.tensorlink.contracts.tx;

import io.tensorlink.contracts.revert.ContractRevertException;
import io.tensorlink.contracts.revert.DecodedRevert;
import io.tensorlink.contracts.revert.RevertDecoder;
import java.io.IOException;
import java.math.BigInteger;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthCall;
import org.web3j.protocol.core.methods.response.EthEstimateGas;
import org.web3j.protocol.core.methods.response.EthSendTransaction;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.protocol.exceptions.TransactionException;
import org.web3j.tx.RawTransactionManager;

/**
 * Signs locally and, before sending, simulates each transaction with {@code eth_call}: a revert
 * becomes a {@link ContractRevertException} naming the custom error and its arguments, and costs
 * no gas. The gas limit is the node's estimate plus a margin, never above the caller's cap.
 *
 * <p>A transaction that passes the simulation but fails once mined (the state moved in between)
 * is replayed with {@code eth_call} on the parent block to recover its revert data; that replay is
 * exact when the transaction was first in its block, as with an automining devnet.
 *
 * <p>Views ({@code sendCall}) get the same decoding. Not thread-safe for concurrent sends from one
 * account (nonces come from the node, as in {@link RawTransactionManager}).
 */
public final class SuiteTransactionManager extends RawTransactionManager {
  private static final BigInteger MARGIN_NUMERATOR = BigInteger.valueOf(6);
  private static final BigInteger MARGIN_DENOMINATOR = BigInteger.valueOf(5);

  private final Web3j web3j;
  private final RevertDecoder decoder;

  public SuiteTransactionManager(
      final Web3j web3j, final Credentials credentials, final long chainId, final RevertDecoder decoder) {
    // 1 s polling, up to 10 minutes: an automining devnet answers on the first poll.
    super(web3j, credentials, chainId, 600, 1000L);
    this.web3j = web3j;
    this.decoder = decoder;
  }

  @Override
  public EthSendTransaction sendTransaction(
      final BigInteger gasPrice,
      final BigInteger gasLimit,
      final String to,
      final String data,
      final BigInteger value,
      final boolean constructor)
      throws IOException {
    final BigInteger limit = preflight(to, data, value, gasLimit);
    return super.sendTransaction(gasPrice, limit, to, data, value, constructor);
  }

  @Override
  public EthSendTransaction sendEIP1559Transaction(
      final long chainId,
      final BigInteger maxPriorityFeePerGas,
      final BigInteger maxFeePerGas,
      final BigInteger gasLimit,
      final String to,
      final String data,
      final BigInteger value,
      final boolean constructor)
      throws IOException {
    final BigInteger limit = preflight(to, data, value, gasLimit);
    return super.sendEIP1559Transaction(chainId, maxPriorityFeePerGas, maxFeePerGas, limit, to, data, value, constructor);
  }

  @Override
  public String sendCall(final String to, final String data, final DefaultBlockParameter block) throws IOException {
    final EthCall call = web3j.ethCall(Transaction.createEthCallTransaction(getFromAddress(), to, data), block).send();
    if (call.hasError()) {
      throw revertOrRpc("call to " + to, call);
    }
    return call.getValue();
  }

  @Override
  protected TransactionReceipt processResponse(final EthSendTransaction response) throws IOException, TransactionException {
    if (response.hasError()) {
      throw new RpcException("eth_sendRawTransaction failed: " + response.getError().getMessage());
    }
    final TransactionReceipt receipt = super.processResponse(response);
    if (!receipt.isStatusOK()) {
      throw new ContractRevertException("transaction to " + receipt.getTo(), explainFailure(receipt), receipt.getTransactionHash());
    }
    return receipt;
  }

  /** Simulates the transaction; returns the gas limit to send it with. */
  private BigInteger preflight(final String to, final String data, final BigInteger value, final BigInteger cap)
      throws IOException {
    final String action = to == null || to.isEmpty() ? "contract creation" : "transaction to " + to;
    final Transaction tx = new Transaction(getFromAddress(), null, null, null, emptyToNull(to), value, data);
    final EthCall call = web3j.ethCall(tx, DefaultBlockParameterName.PENDING).send();
    if (call.hasError()) {
      throw revertOrRpc(action, call);
    }
    final EthEstimateGas estimate = web3j.ethEstimateGas(tx).send();
    if (estimate.hasError()) {
      throw revertOrRpc(action, estimate);
    }
    final BigInteger withMargin = estimate.getAmountUsed().multiply(MARGIN_NUMERATOR).divide(MARGIN_DENOMINATOR);
    return cap == null ? withMargin : withMargin.min(cap);
  }

  /**
   * Why a mined transaction failed: it is replayed with {@code eth_call} on its parent block and
   * the revert data decoded. Works for any failed transaction, including ones sent by other tools.
   */
  public DecodedRevert explainFailure(final TransactionReceipt receipt) throws IOException {
    final org.web3j.protocol.core.methods.response.Transaction sent =
        RpcCalls.checked(web3j.ethGetTransactionByHash(receipt.getTransactionHash()).send(), "eth_getTransactionByHash")
            .getTransaction()
            .orElseThrow(() -> new RpcException("mined transaction " + receipt.getTransactionHash() + " not found"));
    final Transaction call =
        new Transaction(sent.getFrom(), null, null, sent.getGas(), sent.getTo(), sent.getValue(), sent.getInput());
    final BigInteger parent = receipt.getBlockNumber().subtract(BigInteger.ONE);
    final EthCall replayed = web3j.ethCall(call, DefaultBlockParameter.valueOf(parent)).send();
    if (replayed.hasError() && replayed.getError().getData() != null) {
      return decoder.decode(revertData(replayed.getError()));
    }
    // The replay succeeded (the state the transaction saw is gone) or carried no data: say so.
    return new DecodedRevert("(reverted on chain; the replay on block " + parent + " did not reproduce it)", java.util.List.of(), "0x");
  }

  private RuntimeException revertOrRpc(final String action, final Response<?> response) {
    final Response.Error error = response.getError();
    if (error.getData() != null || isRevertMessage(error.getMessage())) {
      return new ContractRevertException(action, decoder.decode(revertData(error)), null);
    }
    return new RpcException(action + " failed: " + error.getMessage() + " (code " + error.getCode() + ")");
  }

  private static boolean isRevertMessage(final String message) {
    return message != null && message.toLowerCase(java.util.Locale.ROOT).contains("revert");
  }

  /** The revert data of an RPC error: a hex string, possibly quoted by the JSON mapping. */
  static String revertData(final Response.Error error) {
    final String data = error.getData();
    if (data == null) {
      return "0x";
    }
    final String trimmed = data.trim().replace("\"", "");
    return trimmed.startsWith("0x") ? trimmed : "0x";
  }

  private static String emptyToNull(final String to) {
    return to == null || to.isEmpty() ? null : to;
  }
}
