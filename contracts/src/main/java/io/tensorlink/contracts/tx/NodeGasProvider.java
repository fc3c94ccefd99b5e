package io.tensorlink.contracts.tx;

import java.math.BigInteger;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthBlock;
import org.web3j.tx.gas.ContractGasProvider;
import org.web3j.tx.gas.StaticGasProvider;
import org.web3j.tx.gas.StaticEIP1559GasProvider;

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

  /**
   * A provider that pays exactly {@code price} wei per gas: the legacy gas price, or on an EIP-1559
   * chain both the fee cap and the tip (so the effective price is {@code price} whatever the base fee
   * below it), as a user who names a gas price expects.
   */
  public static ContractGasProvider fixed(final long chainId, final EthBlock.Block latest, final BigInteger price) {
    return latest.getBaseFeePerGasRaw() != null
        ? new StaticEIP1559GasProvider(chainId, price, price, latest.getGasLimit())
        : new StaticGasProvider(price, latest.getGasLimit());
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
