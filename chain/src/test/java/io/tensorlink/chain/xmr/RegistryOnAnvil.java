package io.tensorlink.chain.xmr;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tensorlink.chain.validator.AnvilSuiteAccess;
import io.tensorlink.contracts.SuiteContract;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.Address;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.TransactionEncoder;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.tx.response.PollingTransactionReceiptProcessor;
import org.web3j.utils.Numeric;

/**
 * Deploys {@code XmrEscrowRegistry} from its forge artifact next to an anvil suite (the suite's
 * deployer does not include it yet); skips the calling test when the artifact is missing.
 */
final class RegistryOnAnvil {
  private static final Path ARTIFACT = Path.of("..", "contracts", "out", "XmrEscrowRegistry.sol", "XmrEscrowRegistry.json");

  private RegistryOnAnvil() {}

  static void assumeArtifact() {
    Assumptions.assumeTrue(Files.exists(ARTIFACT), "no forge artifact " + ARTIFACT + " (build the contracts module): skipping");
  }

  /** The registry's address, deployed by account 0 for the suite's JobEscrow. */
  static String deploy(final AnvilSuiteAccess chain) throws Exception {
    final long chainId = chain.web3j().ethChainId().send().getChainId().longValueExact();
    final String bytecode = new ObjectMapper().readTree(ARTIFACT.toFile()).path("bytecode").path("object").asText();
    final String init = bytecode + FunctionEncoder.encodeConstructor(List.of(new Address(
        chain.deployment().address(SuiteContract.JOB_ESCROW))));
    final Credentials deployer = chain.account(0);
    final BigInteger nonce = chain.web3j().ethGetTransactionCount(deployer.getAddress(), DefaultBlockParameterName.PENDING)
        .send().getTransactionCount();
    final RawTransaction tx = RawTransaction.createContractTransaction(nonce,
        chain.web3j().ethGasPrice().send().getGasPrice(), BigInteger.valueOf(2_000_000), BigInteger.ZERO, init);
    final String hash = chain.web3j().ethSendRawTransaction(Numeric.toHexString(TransactionEncoder.signMessage(tx, chainId,
        deployer))).send().getTransactionHash();
    final TransactionReceipt r = new PollingTransactionReceiptProcessor(chain.web3j(), 200, 150).waitForTransactionReceipt(hash);
    if (!r.isStatusOK()) {
      throw new IllegalStateException("XmrEscrowRegistry deployment reverted: " + r);
    }
    return r.getContractAddress();
  }
}
