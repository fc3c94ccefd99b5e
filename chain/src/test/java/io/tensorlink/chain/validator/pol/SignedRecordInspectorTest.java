package io.tensorlink.chain.validator.pol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tensorlink.chain.pol.Assignment;
import io.tensorlink.chain.pol.EthAddress;
import io.tensorlink.chain.pol.PolDomain;
import io.tensorlink.chain.pol.SignedStepRecord;
import io.tensorlink.chain.pol.StepRecord;
import io.tensorlink.chain.pol.wire.PolCodec;
import io.tensorlink.chain.store.RecordKey;
import io.tensorlink.chain.validator.InspectedRecord;
import io.tensorlink.chain.validator.JobState;
import io.tensorlink.chain.validator.MalformedMessageException;
import java.math.BigInteger;
import java.util.List;
import java.util.Optional;
import org.apache.tuweni.bytes.Bytes32;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Credentials;

/** pol-core's signed records through the validator's inspector: accepted, or rejected with the reason. */
class SignedRecordInspectorTest {
  private static final Credentials WORKER = Credentials.create("0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d");
  private static final Credentials OTHER = Credentials.create("0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a");
  private static final PolDomain DOMAIN = PolDomain.of(7701, EthAddress.of("0x5FbDB2315678afecb367f032d93F642f64180aa3"));
  private static final BigInteger JOB_ID = BigInteger.valueOf(3);
  private static final Credentials STRANGER = Credentials.create("0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6");
  /** 2 stages x 1 replica: OTHER has stage 0, WORKER stage 1. */
  private static final JobState JOB = JobState.created(JOB_ID, new byte[32])
      .assigned(new byte[32], List.of(OTHER.getAddress(), WORKER.getAddress()));
  private final SignedRecordInspector inspector = new SignedRecordInspector(DOMAIN);

  @Test
  void anAssignedWorkersSignedRecordIsKeyedByItsCoordinatesWithItsStructHashAsLeaf() {
    final SignedStepRecord signed = SignedStepRecord.sign(record(JOB_ID, WORKER), DOMAIN, WORKER);
    final InspectedRecord r = inspector.inspect(JOB, PolCodec.encode(signed).toArray());
    assertThat(r.key()).isEqualTo(new RecordKey(JOB_ID, 7, 1, 0));
    assertThat(r.leaf()).isEqualTo(signed.record().recordHash().toArray());
    assertThat(r.worker()).isEqualToIgnoringCase(WORKER.getAddress());
  }

  @Test
  void badRecordsAreRejectedNamingWhy() {
    assertThatThrownBy(() -> inspector.inspect(JOB, new byte[] {(byte) 0xc0}))
        .isInstanceOf(MalformedMessageException.class).hasMessageContaining("not a signed step record");
    final SignedStepRecord otherJob = SignedStepRecord.sign(record(BigInteger.TEN, WORKER), DOMAIN, WORKER);
    assertThatThrownBy(() -> inspector.inspect(JOB, PolCodec.encode(otherJob).toArray())).hasMessageContaining("is for job 10, not 3");
    final SignedStepRecord unassigned = SignedStepRecord.sign(record(JOB_ID, STRANGER), DOMAIN, STRANGER);
    assertThatThrownBy(() -> inspector.inspect(JOB, PolCodec.encode(unassigned).toArray()))
        .hasMessageContaining("who is not assigned to job 3");
    // an assigned worker squatting another worker's cell (stage 1 is WORKER's)
    final SignedStepRecord squatter = SignedStepRecord.sign(record(JOB_ID, OTHER), DOMAIN, OTHER);
    assertThatThrownBy(() -> inspector.inspect(JOB, PolCodec.encode(squatter).toArray()))
        .hasMessageContaining("that cell is assigned to " + WORKER.getAddress().toLowerCase(java.util.Locale.ROOT));
    // a cell outside the job's topology (2x2 claimed, 2 workers assigned)
    final Bytes32 h = Bytes32.fromHexString("0x" + "11".repeat(32));
    final SignedStepRecord wider = SignedStepRecord.sign(new StepRecord(JOB_ID, 7, 1, 1, 2, 2, EthAddress.of(WORKER.getAddress()),
        Bytes32.ZERO, h, h, h, Bytes32.ZERO, Bytes32.ZERO, h, h, h, h, h, 0x3FF8000000000000L), DOMAIN, WORKER);
    assertThatThrownBy(() -> inspector.inspect(JOB, PolCodec.encode(wider).toArray()))
        .hasMessageContaining("says 2x2 cells, the job assigned 2 workers");
    final SignedStepRecord forged = new SignedStepRecord(record(JOB_ID, WORKER),
        SignedStepRecord.sign(record(JOB_ID, OTHER), DOMAIN, OTHER).signature());
    assertThatThrownBy(() -> inspector.inspect(JOB, PolCodec.encode(forged).toArray())).hasMessageContaining("is not signed by its worker");
    final SignedStepRecord otherDomain = SignedStepRecord.sign(record(JOB_ID, WORKER),
        PolDomain.of(1, EthAddress.of("0x5FbDB2315678afecb367f032d93F642f64180aa3")), WORKER);
    assertThatThrownBy(() -> inspector.inspect(JOB, PolCodec.encode(otherDomain).toArray()))
        .hasMessageContaining("is not signed by its worker");
  }

  @Test
  void afterATakeoverTheStandbyOwnsTheCellAndTheGoneWorkerNoLonger() {
    // the escrow assigned OTHER (stage 0), WORKER (stage 1) and STRANGER as standby; STRANGER took over stage 1
    final JobState job = JobState.created(JOB_ID, new byte[32])
        .assigned(new byte[32], List.of(OTHER.getAddress(), WORKER.getAddress(), STRANGER.getAddress()));
    final List<EthAddress> cells = List.of(EthAddress.of(OTHER.getAddress()), EthAddress.of(WORKER.getAddress()));
    final Assignment original = new Assignment(JOB_ID, Bytes32.ZERO, 2, 1, cells,
        List.of(EthAddress.of(STRANGER.getAddress())));
    final Assignment after = new Assignment(JOB_ID, Bytes32.ZERO, 2, 1,
        List.of(cells.get(0), EthAddress.of(STRANGER.getAddress())), List.of());
    final byte[] gone = PolCodec.encode(SignedStepRecord.sign(record(JOB_ID, WORKER), DOMAIN, WORKER)).toArray();
    final byte[] standby = PolCodec.encode(SignedStepRecord.sign(record(JOB_ID, STRANGER), DOMAIN, STRANGER)).toArray();

    // before: the cells come first in the escrow's list, the standby after them
    assertThat(inspector.inspect(job, gone).worker()).isEqualToIgnoringCase(WORKER.getAddress());
    assertThatThrownBy(() -> inspector.inspect(job, standby)).hasMessageContaining("that cell is assigned to "
        + WORKER.getAddress().toLowerCase(java.util.Locale.ROOT));
    assertThat(new SignedRecordInspector(DOMAIN, id -> Optional.of(original)).inspect(job, gone).worker())
        .isEqualToIgnoringCase(WORKER.getAddress());

    final SignedRecordInspector followed = new SignedRecordInspector(DOMAIN, id -> Optional.of(after));
    assertThat(followed.inspect(job, standby).worker()).isEqualToIgnoringCase(STRANGER.getAddress());
    assertThatThrownBy(() -> followed.inspect(job, gone)).hasMessageContaining("that cell is assigned to "
        + STRANGER.getAddress().toLowerCase(java.util.Locale.ROOT));
  }

  private static StepRecord record(final BigInteger jobId, final Credentials worker) {
    final Bytes32 h = Bytes32.fromHexString("0x" + "11".repeat(32));
    return new StepRecord(jobId, 7, 1, 0, 2, 1, EthAddress.of(worker.getAddress()), Bytes32.ZERO, h, h, h, Bytes32.ZERO,
        Bytes32.ZERO, h, h, h, h, h, 0x3FF8000000000000L);
  }
}
