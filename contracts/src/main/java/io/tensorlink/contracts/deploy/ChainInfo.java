package io.tensorlink.contracts.deploy;

import io.tensorlink.contracts.tx.RpcException;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.response.EthBlock;

/** Small read-only questions every command asks the node first. */
public final class ChainInfo {
  private ChainInfo() {}

  public static long chainId(final Web3j web3j) {
    try {
      final var r = web3j.ethChainId().send();
      if (r.hasError()) {
        throw new RpcException("eth_chainId failed: " + r.getError().getMessage());
      }
      return r.getChainId().longValueExact();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot reach the node: " + e.getMessage(), e);
    }
  }

  public static String genesisBlockHash(final Web3j web3j) {
    return block(web3j, DefaultBlockParameter.valueOf(java.math.BigInteger.ZERO)).getHash();
  }

  public static EthBlock.Block latestBlock(final Web3j web3j) {
    return block(web3j, DefaultBlockParameterName.LATEST);
  }

  /** Whether {@code address} holds contract code at the latest block. */
  public static boolean hasCode(final Web3j web3j, final String address) {
    try {
      final var code = web3j.ethGetCode(address, DefaultBlockParameterName.LATEST).send();
      if (code.hasError()) {
        throw new RpcException("eth_getCode failed: " + code.getError().getMessage());
      }
      final String hex = code.getCode();
      return hex != null && hex.length() > 2;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot reach the node: " + e.getMessage(), e);
    }
  }

  private static EthBlock.Block block(final Web3j web3j, final DefaultBlockParameter which) {
    try {
      final EthBlock r = web3j.ethGetBlockByNumber(which, false).send();
      if (r.hasError() || r.getBlock() == null) {
        throw new RpcException("eth_getBlockByNumber(" + which.getValue() + ") failed" + (r.hasError() ? ": " + r.getError().getMessage() : ""));
      }
      return r.getBlock();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot reach the node: " + e.getMessage(), e);
    }
  }
}
