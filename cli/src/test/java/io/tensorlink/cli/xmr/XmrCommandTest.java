package io.tensorlink.cli.xmr;

import static org.assertj.core.api.Assertions.assertThat;

import io.tensorlink.cli.CliRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reads an escrow state file as the node writes it (the stored JSON format) and prints it. */
class XmrCommandTest {
  private static final String WORKER = "0x00000000000000000000000000000000000000a1";

  @TempDir
  Path dataDir;

  private void writeEscrow() throws IOException {
    final Path dir = dataDir.resolve("xmr").resolve("escrows");
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("job-5.json"), """
        {"terms":{"escrowId":"job-5/%s","parties":{"CLIENT":"0xc1","WORKER":"%s","ARBITER":"0xa2"},
          "deposit":10000000000000,"pricePerStep":10000000000,"arbiterFee":50000000000,"maxTxFee":10000000000,
          "workerAddress":"4Worker","clientRefundAddress":"4Client","arbiterAddress":"4Arbiter"},
         "role":"WORKER","walletFile":"escrow-1","ready":true,"multisigAddress":"4Escrow",
         "settlements":[{"kind":"RELEASE","txHashes":["ab12"],"txKey":"k","fee":1808400000,
           "proofs":[{"txid":"ab12","address":"4Worker","amount":4200000000000,"message":"job-5/%s",
                      "signature":"OutProofV2xyz"}]}]}
        """.formatted(WORKER, WORKER, WORKER));
  }

  @Test
  void payoutsShowAmountsTxIdsAndProofs() throws IOException {
    writeEscrow();
    final CliRun r = CliRun.run(dataDir, "xmr", "payouts", "5");
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).contains("job-5/" + WORKER + " release tx ab12 fee 0.0018084 XMR")
        .contains("4.2 XMR to 4Worker").contains("OutProofV2xyz")
        .contains("check_tx_proof ab12 4Worker \"job-5/" + WORKER + "\"");
  }

  @Test
  void statusShowsSetupFundingAndSettlements() throws IOException {
    writeEscrow();
    final CliRun r = CliRun.run(dataDir, "xmr", "escrow-status", "5");
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).contains("job-5/" + WORKER + ": worker, ready").contains("address: 4Escrow")
        .contains("deposit: 10 XMR, 0.01 XMR/step, arbiter fee 0.05 XMR").contains("settled: [release]");
  }

  @Test
  void aJobWithoutEscrowsIsAClearFailure() {
    final CliRun r = CliRun.run(dataDir, "xmr", "payouts", "6");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).contains("no XMR escrow of job 6 in");
  }
}
