package io.tensorlink.cli.contracts;

import io.tensorlink.cli.CliContext;
import io.tensorlink.cli.CliException;
import io.tensorlink.cli.ExitCodes;
import io.tensorlink.contracts.ContractSuite;
import io.tensorlink.contracts.deploy.ChainInfo;
import io.tensorlink.contracts.deploy.Deployment;
import io.tensorlink.contracts.deploy.DeploymentException;
import io.tensorlink.contracts.deploy.DeploymentStore;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.util.Optional;
import org.web3j.protocol.exceptions.ClientConnectionException;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.Web3jService;

/** One command's connection to the chain: the node, its chain id, and the recorded suite. */
public final class ChainSession implements AutoCloseable {
  private static final Credentials VIEWER = Credentials.create("0x1");

  private final CliContext ctx;
  private final ChainOptions options;
  private final LoggingHttpService rpc;
  private final Web3j web3j;
  private final long chainId;
  private final String url;
  private Web3j overridden;

  private ChainSession(final CliContext ctx, final ChainOptions options, final LoggingHttpService rpc, final Web3j web3j,
      final long chainId, final String url) {
    this.rpc = rpc;
    this.url = url;
    this.ctx = ctx;
    this.options = options;
    this.web3j = web3j;
    this.chainId = chainId;
  }

  public static ChainSession open(final CliContext ctx, final ChainOptions options) {
    final String url = ChainOptions.rpcUrl(ctx);
    final LoggingHttpService rpc = new LoggingHttpService(url);
    final Web3j web3j = Web3j.build(rpc);
    try {
      return new ChainSession(ctx, options, rpc, web3j, ChainInfo.chainId(web3j), url);
    } catch (UncheckedIOException e) {
      web3j.shutdown();
      throw unreachable(url, e.getCause());
    } catch (RuntimeException e) {
      web3j.shutdown();
      throw e;
    }
  }

  /**
   * Why the first request failed: a node that is down is "not running"; something that answers,
   * but not JSON-RPC (a web page, a 404), is a wrong URL and said so in one line.
   */
  static CliException unreachable(final String url, final Throwable cause) {
    if (cause instanceof JsonProcessingException || cause instanceof ClientConnectionException) {
      return new CliException(url + " is not a JSON-RPC endpoint (check --rpc-url / rpc.url)", ExitCodes.CONFIG);
    }
    return new CliException("cannot reach the chain at " + url + ": " + cause.getMessage(), ExitCodes.NOT_RUNNING);
  }

  public Web3j web3j() {
    return web3j;
  }

  /** The node connection itself, for requests web3j has no method for (eth_call with a state override). */
  Web3jService rpc() {
    return rpc;
  }

  public long chainId() {
    return chainId;
  }

  /** Read-only views of the suite; the key only ever makes {@code eth_call}s, which do not depend on the caller. */
  public ContractSuite viewSuite() {
    return suite(VIEWER);
  }

  /** The read-only suite when this chain has one recorded (ETH balances need none), else empty. */
  public Optional<ContractSuite> viewSuiteIfRecorded() {
    try {
      return Optional.of(viewSuite());
    } catch (CliException e) {
      return Optional.empty();
    }
  }

  /** The recorded suite of this chain, as seen by {@code account}. */
  public ContractSuite suite(final Credentials account) {
    return suite(web3j, account, Optional.empty());
  }

  /** The suite for sending as {@code account}, with the nonce and gas price of {@code tx} when given. */
  public ContractSuite suite(final Credentials account, final TxOptions tx) {
    if (tx.nonce().isEmpty() && tx.gasPrice().isEmpty()) {
      return suite(web3j, account, Optional.empty());
    }
    if (overridden == null) {
      overridden = Web3j.build(new TxOverrides(url, account.getAddress(), tx.nonce(), tx.gasPrice()));
    }
    return suite(overridden, account, tx.gasPrice());
  }

  /** The connection transactions go through (the one with --nonce/--gas-price when given). */
  public Web3j sending() {
    return overridden != null ? overridden : web3j;
  }

  private ContractSuite suite(final Web3j through, final Credentials account, final Optional<BigInteger> gasPrice) {
    try {
      final DeploymentStore store = options.store(ctx);
      final Deployment record = store.require(chainId);
      final String genesis = ChainInfo.genesisBlockHash(web3j);
      if (!genesis.equalsIgnoreCase(record.genesisBlockHash())) {
        throw new CliException(store.file(chainId) + " records a suite of another chain with id " + chainId + " (genesis block "
            + record.genesisBlockHash() + "; this node's is " + genesis + "): run 'tl-cli contracts deploy' for this chain,"
            + " or give --deployments with its record", ExitCodes.CONFIG);
      }
      return ContractSuite.connect(through, account, record, gasPrice);
    } catch (DeploymentException e) {
      throw new CliException(e.getMessage(), ExitCodes.CONFIG);
    }
  }

  @Override
  public void close() {
    web3j.shutdown();
    if (overridden != null) {
      overridden.shutdown();
    }
  }
}
