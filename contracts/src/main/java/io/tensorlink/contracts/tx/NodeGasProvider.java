package io.tensorlink.contracts.tx;

import java.math.BigInteger;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthBlock;
import org.web3j.tx.gas.ContractGasProvider;

/**
 * Gas price from the node ({@code eth_gasPrice}) at each transaction; the gas limit it reports is
 * only a cap, since {@link SuiteTransactionManager} replaces it by an estimate of the transaction.
 */
public final class NodeGasProvider implements ContractGasProvider {
  private final Web3j web3j;
  private final BigInteger gasLimitCap;

  /**
   * The gas provider for a chain: EIP-1559 (type 2) transactions when its latest block has a base
   * fee (London and later; anvil does), legacy gas-price transactions otherwise.
   */
  public static ContractGasProvider forChain(final Web3j web3j, final long chainId, final EthBlock.Block latest) {
    return latest.getBaseFeePerGasRaw() != null
        ? new Eip1559GasProvider(web3j, chainId, latest.getGasLimit())
        : new NodeGasProvider(web3j, latest.getGasLimit());
  }

  public NodeGasProvider(final Web3j web3j, final BigInteger gasLimitCap) {
    this.web3j = web3j;
    this.gasLimitCap = gasLimitCap;
  }

  @Override
  public BigInteger getGasPrice() {
    return RpcCalls.send(web3j.ethGasPrice(), "eth_gasPrice").getGasPrice();
  }

  @Override
  public BigInteger getGasLimit(final Transaction transaction) {
    return gasLimitCap;
  }

  @Override
  public BigInteger getGasLimit() {
    return gasLimitCap;
  }
}
