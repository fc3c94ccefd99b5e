package io.tensorlink.contracts.tx;

import static io.tensorlink.contracts.testing.SuiteActions.tl;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tensorlink.contracts.ContractSuite;
import io.tensorlink.contracts.SuiteContract;
import io.tensorlink.contracts.revert.ContractRevertException;
import io.tensorlink.contracts.revert.RevertDecoder;
import io.tensorlink.contracts.testing.DeployedDevnet;
import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.response.EthSendTransaction;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.tx.RawTransactionManager;
import org.web3j.tx.response.PollingTransactionReceiptProcessor;

/** Reverts from the real contracts, pre-flighted or mined, turned into custom errors with arguments. */
class RevertsOnChainTest {
  @AutoClose private static DeployedDevnet devnet;

  @BeforeAll
  static void start() {
    devnet = DeployedDevnet.start();
  }

  @Test
  void preflightDecodesSuiteAndOpenZeppelinErrorsWithoutSpendingGas() throws Exception {
    final ContractSuite s = devnet.suite(1);
    final BigInteger nonce = devnet.web3j().ethGetTransactionCount(s.account(), DefaultBlockParameterName.LATEST).send().getTransactionCount();

    assertThatThrownBy(() -> s.stakeManager().stake(BigInteger.ZERO).send())
        .isInstanceOfSatisfying(ContractRevertException.class, e -> {
          assertThat(e.revert().toString()).isEqualTo("StakeManagerZeroAmount()");
          assertThat(e.transactionHash()).isEmpty();
        });
    assertThatThrownBy(() -> s.token().transfer(devnet.account(2).getAddress(), tl(100_001)).send())
        .isInstanceOfSatisfying(ContractRevertException.class, e -> assertThat(e.revert().toString()).isEqualTo(
            "ERC20InsufficientBalance(sender=" + s.account() + ", balance=" + tl(100_000) + ", needed=" + tl(100_001) + ")"));
    assertThatThrownBy(() -> s.stakeManager().stake(tl(1)).send())
        .isInstanceOfSatisfying(ContractRevertException.class, e -> assertThat(e.revert().name()).isEqualTo("ERC20InsufficientAllowance"));

    assertThat(devnet.web3j().ethGetTransactionCount(s.account(), DefaultBlockParameterName.LATEST).send().getTransactionCount())
        .as("nothing was sent").isEqualTo(nonce);
  }

  @Test
  void aMinedFailureIsExplainedByReplayingIt() throws Exception {
    final Credentials who = devnet.account(2);
    final String data = FunctionEncoder.encode(new Function("requestUnstake", List.of(new Uint256(tl(5))), List.of()));
    // A plain manager with a fixed gas limit sends what the pre-flight would have stopped.
    final RawTransactionManager plain = new RawTransactionManager(devnet.web3j(), who, 7701);
    final EthSendTransaction sent = plain.sendTransaction(
        devnet.web3j().ethGasPrice().send().getGasPrice(), BigInteger.valueOf(300_000),
        devnet.deployment().address(SuiteContract.STAKE_MANAGER), data, BigInteger.ZERO);
    final TransactionReceipt receipt =
        new PollingTransactionReceiptProcessor(devnet.web3j(), 200, 50).waitForTransactionReceipt(sent.getTransactionHash());
    assertThat(receipt.isStatusOK()).isFalse();

    final SuiteTransactionManager manager = new SuiteTransactionManager(devnet.web3j(), who, 7701, RevertDecoder.forSuite());

    assertThat(manager.explainFailure(receipt).toString())
        .isEqualTo("StakeManagerInsufficientStake(account=" + who.getAddress() + ", stake=0, needed=" + tl(5) + ")");
  }

  @Test
  void aNodeErrorThatIsNotARevertStaysAnRpcError() {
    final Credentials broke = Credentials.create("0x" + "42".repeat(32));
    final ContractSuite s = devnet.suite(broke);

    assertThatThrownBy(() -> s.token().approve(devnet.account(0).getAddress(), BigInteger.ONE).send())
        .isInstanceOf(RpcException.class)
        .hasMessageContainingAll("eth_sendRawTransaction failed", "nsufficient funds");
  }
}
