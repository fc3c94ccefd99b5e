package io.tensorlink.chain.xmr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tensorlink.chain.validator.AnvilSuiteAccess;
import io.tensorlink.monero.escrow.EscrowException;
import io.tensorlink.monero.regtest.MoneroRegtest;
import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.tx.RawTransactionManager;

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
    chain = AnvilSuiteAccess.start();
    client = chain.account(1);
    worker = chain.account(2);
    chain.stakeWorker(worker);
    jobId = chain.createAssignedJob(client, List.of(worker));
    chainId = chain.web3j().ethChainId().send().getChainId().longValueExact();
    commitments = XmrEscrowCommitment.of(chain.web3j(), chain.deployment());
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
