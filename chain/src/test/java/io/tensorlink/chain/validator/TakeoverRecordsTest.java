package io.tensorlink.chain.validator;

import static org.assertj.core.api.Assertions.assertThat;

import io.tensorlink.chain.follow.ChainEvent;
import io.tensorlink.chain.store.NodeStore;
import io.tensorlink.chain.store.RecordKey;
import io.tensorlink.chain.store.StoredEntry;
import io.tensorlink.chain.validator.suite.Eip712Signer;
import io.tensorlink.contracts.pol.Eip712Domain;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Credentials;

/**
 * A takeover on a validator (a real RocksDB store, a {@link ScriptedChain}): the records the gone
 * worker published for its cell from the resume step are dropped — the other cells' and the earlier
 * ones stay — and the standby's redone record then takes the freed slot (the first record per cell
 * is kept, so without the drop the gone worker's would stay).
 */
class TakeoverRecordsTest {
  private static final Credentials ME = Credentials.create("0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d");
  private static final String WORKER_0 = "0x90f79bf6eb2c4f870365e785982e1f101e93b906";
  private static final String GONE = "0x15d34aaf54267db7d7c367839aaf71a00a2c6a65";
  private static final String STANDBY = "0x9965507d1a55bcc2695c58ba16fb37d819b0a4dc";
  private static final BigInteger JOB = BigInteger.valueOf(5);

  @Test
  void theGoneWorkersRecordsFromTheResumeStepMakeWayForTheStandbys(@TempDir final Path dir) {
    final ScriptedChain chain = new ScriptedChain(new ValidatorSet(BigInteger.ONE,
        List.of(new ValidatorSet.Member(ME.getAddress(), BigInteger.TEN)), BigInteger.valueOf(20)));
    chain.emit(new ChainEvent.JobCreated(3, JOB, WORKER_0, new byte[32]));
    chain.emit(new ChainEvent.JobAssigned(4, JOB, new byte[32], List.of(WORKER_0, GONE, STANDBY)));
    try (NodeStore store = NodeStore.open(dir)) {
      final TestProtocol protocol = new TestProtocol();
      final Validator v = Validator.builder().store(store).chainEvents(chain).anchor(chain)
          .disputes(new RecordingDisputes(ME.getAddress())).transport(new RecordingTransport())
          .signer(new Eip712Signer(ME, Eip712Domain.polAnchor(31337, "0x5FbDB2315678afecb367f032d93F642f64180aa3")))
          .format(protocol).verifier(protocol).inspector(protocol)
          .config(ValidatorConfig.defaults().withConfirmations(0)).build();
      v.start();
      chain.head = 10;
      v.tick();
      for (long step = 0; step < 3; step++) {
        v.onStepRecord(JOB, TestProtocol.record(JOB, step, 0, WORKER_0, "honest"));
        v.onStepRecord(JOB, TestProtocol.record(JOB, step, 1, GONE, "honest"));
      }

      assertThat(v.dropCellRecords(JOB, 1, 0, 1)).isEqualTo(2);
      assertThat(store.records(JOB, 0, Long.MAX_VALUE)).extracting(StoredEntry::key).containsExactly(
          new RecordKey(JOB, 0, 0, 0), new RecordKey(JOB, 0, 1, 0), new RecordKey(JOB, 1, 0, 0),
          new RecordKey(JOB, 2, 0, 0));

      final byte[] redone = TestProtocol.record(JOB, 1, 1, STANDBY, "honest");
      v.onStepRecord(JOB, redone);
      assertThat(store.record(new RecordKey(JOB, 1, 1, 0))).hasValue(redone);
      assertThat(v.dropCellRecords(JOB, 1, 0, 3)).isZero();
    }
  }
}
