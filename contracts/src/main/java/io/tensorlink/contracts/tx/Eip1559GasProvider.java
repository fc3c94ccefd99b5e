package io.tensorlink.contracts.tx;

import java.math.BigInteger;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.tx.gas.ContractEIP1559GasProvider;

/**
 * Fees for EIP-1559 (type 2) transactions, which web3j's generated contracts send whenever their
 * gas provider is a {@link ContractEIP1559GasProvider}: the tip is the node's
 * {@code eth_maxPriorityFeePerGas}, the fee cap twice the latest base fee plus the tip (room for
 * the base fee to rise for a few blocks). As with {@link NodeGasProvider}, the gas limit is only a
 * cap: {@link SuiteTransactionManager} replaces it by an estimate.
 */
public final class Eip1559GasProvider implements ContractEIP1559GasProvider {
  private final Web3j web3j;
  private final long chainId;
  /** The legacy gas price and the gas limit cap, shared with the non-EIP-1559 provider. */
  private final NodeGasProvider legacy;

  public Eip1559GasProvider(final Web3j web3j, final long chainId, final BigInteger gasLimitCap) {
    this.web3j = web3j;
    this.chainId = chainId;
    this.legacy = new NodeGasProvider(web3j, gasLimitCap);
  }

  @Override
  public long getChainId() {
    return chainId;
  }

  @Override
  public BigInteger getMaxPriorityFeePerGas() {
    return RpcCalls.send(web3j.ethMaxPriorityFeePerGas(), "eth_maxPriorityFeePerGas").getMaxPriorityFeePerGas();
  }

  @Override
  public BigInteger getMaxFeePerGas() {
    final BigInteger baseFee = RpcCalls.send(web3j.ethGetBlockByNumber(DefaultBlockParameterName.LATEST, false),
        "eth_getBlockByNumber(latest)").getBlock().getBaseFeePerGas();
    return baseFee.shiftLeft(1).add(getMaxPriorityFeePerGas());
  }

  /** Legacy gas price, for code paths that still ask for one. */
  @Override
  public BigInteger getGasPrice() {
    return legacy.getGasPrice();
  }

  @Override
  public BigInteger getGasLimit(final Transaction transaction) {
    return legacy.getGasLimit(transaction);
  }

  @Override
  public BigInteger getGasLimit() {
    return legacy.getGasLimit();
  }
}
