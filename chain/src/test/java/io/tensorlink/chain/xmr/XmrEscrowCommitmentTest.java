package io.tensorlink.chain.xmr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tensorlink.chain.validator.AnvilSuiteAccess;
import io.tensorlink.contracts.SuiteContract;
import io.tensorlink.monero.escrow.EscrowException;
import io.tensorlink.monero.regtest.MoneroRegtest;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.Address;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.TransactionEncoder;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.tx.RawTransactionManager;
import org.web3j.tx.response.PollingTransactionReceiptProcessor;
import org.web3j.utils.Numeric;

/**
 * The XmrEscrowRegistry on a real anvil with the suite deployed: a job with an assigned worker, the
 * client's commitment, each party's check, and every refusal (with the client's nonce unchanged).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class XmrEscrowCommitmentTest {
  private static final String ADDRESS = MoneroRegtest.BURN_ADDRESS;

  private AnvilSuiteAccess chain;
  private XmrEscrowCommitment commitments;
  private Credentials client;
  private Credentials worker;
  private BigInteger jobId;
  private long chainId;

  @BeforeAll
  void deploy() throws Exception {
    final Path artifact = Path.of("..", "contracts", "out", "XmrEscrowRegistry.sol", "XmrEscrowRegistry.json");
    Assumptions.assumeTrue(Files.exists(artifact), "no forge artifact " + artifact + " (build the contracts module): skipping");
    chain = AnvilSuiteAccess.start();
    client = chain.account(1);
    worker = chain.account(2);
    chain.stakeWorker(worker);
    jobId = chain.createAssignedJob(client, List.of(worker));
    chainId = chain.web3j().ethChainId().send().getChainId().longValueExact();
    final String bytecode = new ObjectMapper().readTree(artifact.toFile()).path("bytecode").path("object").asText();
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
    assertThat(r.isStatusOK()).isTrue();
    commitments = new XmrEscrowCommitment(chain.web3j(), r.getContractAddress());
  }

  @AfterAll
  void stop() {
    if (chain != null) {
      chain.close();
    }
  }

  @Test
  void theClientCommitsOnceAndEveryPartyChecksTheAddressAgainstIt() throws Exception {
    final String escrowId = XmrEscrows.escrowId(jobId, worker.getAddress());
    assertThat(commitments.committed(jobId, worker.getAddress())).isEmpty();
    assertThatThrownBy(() -> commitments.verify(escrowId, ADDRESS)).isInstanceOf(EscrowException.class)
        .hasMessageContaining("no on-chain commitment for " + escrowId).hasMessageContaining("do not fund or work");

    // Only the client can commit, only for an assigned worker; a refusal sends nothing.
    final long workerNonce = nonce(worker);
    assertThatThrownBy(() -> commitments.commit(manager(worker), jobId, worker.getAddress(), ADDRESS))
        .hasMessageContaining("only the job's client can commit").hasMessageContaining("nothing was sent");
    assertThat(nonce(worker)).isEqualTo(workerNonce);
    final String stranger = chain.account(3).getAddress();
    assertThatThrownBy(() -> commitments.commit(manager(client), jobId, stranger, ADDRESS))
        .hasMessageContaining("the worker is not assigned to the job");
    assertThatThrownBy(() -> commitments.commit(manager(client), jobId, worker.getAddress(), "4notAnAddress"))
        .hasMessageContaining("95 characters");

    final String tx = commitments.commit(manager(client), jobId, worker.getAddress(), ADDRESS);
    assertThat(tx).startsWith("0x");
    assertThat(commitments.committed(jobId, worker.getAddress())).hasValueSatisfying(
        h -> assertThat(h).isEqualTo(XmrEscrowCommitment.addressHash(ADDRESS)));
    commitments.verify(escrowId, ADDRESS); // the worker's and the client's check pass

    // A swapped address is caught by each party's check, and the commitment cannot be changed.
    final String swapped = "4" + "A".repeat(94);
    assertThatThrownBy(() -> commitments.verify(escrowId, swapped)).isInstanceOf(EscrowException.class)
        .hasMessageContaining("committed on chain to another multisig address").hasMessageContaining(swapped);
    final long clientNonce = nonce(client);
    assertThatThrownBy(() -> commitments.commit(manager(client), jobId, worker.getAddress(), ADDRESS))
        .hasMessageContaining("already committed (it cannot change)");
    assertThat(nonce(client)).isEqualTo(clientNonce);
  }

  private RawTransactionManager manager(final Credentials who) {
    return new RawTransactionManager(chain.web3j(), who, chainId);
  }

  private long nonce(final Credentials who) throws Exception {
    return chain.web3j().ethGetTransactionCount(who.getAddress(), DefaultBlockParameterName.PENDING).send()
        .getTransactionCount().longValueExact();
  }
}
