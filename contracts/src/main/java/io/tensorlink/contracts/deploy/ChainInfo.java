package io.tensorlink.contracts.deploy;

import io.tensorlink.contracts.tx.RpcCalls;
import io.tensorlink.contracts.tx.RpcException;
import java.math.BigInteger;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.response.EthBlock;

/** Small read-only questions every command asks the node first. */
public final class ChainInfo {
  private ChainInfo() {}

  public static long chainId(final Web3j web3j) {
    return RpcCalls.send(web3j.ethChainId(), "eth_chainId").getChainId().longValueExact();
  }

  public static String genesisBlockHash(final Web3j web3j) {
    return block(web3j, DefaultBlockParameter.valueOf(BigInteger.ZERO)).getHash();
  }

  public static EthBlock.Block latestBlock(final Web3j web3j) {
    return block(web3j, DefaultBlockParameterName.LATEST);
  }

  /** Whether {@code address} holds contract code at the latest block. */
  public static boolean hasCode(final Web3j web3j, final String address) {
    final String hex = RpcCalls.send(web3j.ethGetCode(address, DefaultBlockParameterName.LATEST), "eth_getCode").getCode();
    return hex != null && hex.length() > 2;
  }

  private static EthBlock.Block block(final Web3j web3j, final DefaultBlockParameter which) {
    final String method = "eth_getBlockByNumber(" + which.getValue() + ")";
    final EthBlock.Block block = RpcCalls.send(web3j.ethGetBlockByNumber(which, false), method).getBlock();
    if (block == null) {
      throw new RpcException(method + " returned no block");
    }
    return block;
  }
}
