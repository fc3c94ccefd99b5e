package io.tensorlink.cli.xmr;

import static org.assertj.core.api.Assertions.assertThat;

import io.tensorlink.cli.CliRun;
import io.tensorlink.chain.xmr.AccountSigner;
import io.tensorlink.chain.xmr.XmrEscrows;
import io.tensorlink.cli.ExitCodes;
import io.tensorlink.monero.escrow.EscrowRecord;
import io.tensorlink.monero.escrow.StoreKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.web3j.crypto.Credentials;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reads an escrow state file as the node writes it (the stored JSON format) and prints it. */
class XmrCommandTest {
  private static final String WORKER = "0x00000000000000000000000000000000000000a1";

  /** Anvil's first public test key: the node's account, from which its escrow store key derives. */
  private static final String KEY0 = "ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
  private static final Map<String, String> ENV = Map.of("PW", "node-password");

  @TempDir
  Path dataDir;

  /** Imports the node's key as its keystore and writes one escrow record, encrypted as the node does. */
  private void writeEscrow() throws IOException {
    final Path key = Files.writeString(dataDir.resolve("key.txt"), KEY0 + "\n");
    final CliRun imported = CliRun.run(dataDir, ENV, "wallet", "import", "--private-key-file", key.toString(),
        "--password-env", "PW", "--Xlight-kdf");
    assertThat(imported.exitCode()).as(imported.err()).isZero();
    final StoreKey storeKey = new AccountSigner(Credentials.create(KEY0)).storeKey();
    XmrEscrows.store(dataDir, storeKey).save(EscrowRecord.parse("""
        {"terms":{"escrowId":"job-5/%s","parties":{"CLIENT":"0xc1","WORKER":"%s","ARBITER":"0xa2"},
          "deposit":10000000000000,"pricePerStep":10000000000,"arbiterFee":50000000000,"maxTxFee":10000000000,
          "workerAddress":"4Worker","clientRefundAddress":"4Client","arbiterAddress":"4Arbiter"},
         "role":"WORKER","walletFile":"escrow-1","ready":true,"multisigAddress":"4Escrow",
         "settlements":[{"kind":"RELEASE","txHashes":["ab12"],"txKey":"k","fee":1808400000,
           "proofs":[{"txid":"ab12","address":"4Worker","amount":4200000000000,"message":"job-5/%s",
                      "signature":"OutProofV2xyz"}]}]}
        """.formatted(WORKER, WORKER, WORKER).getBytes(StandardCharsets.UTF_8)));
  }

  private CliRun xmr(final String... args) {
    final String[] all = java.util.stream.Stream.concat(java.util.stream.Stream.of("xmr"),
        java.util.stream.Stream.concat(java.util.Arrays.stream(args), java.util.stream.Stream.of("--password-env", "PW")))
        .toArray(String[]::new);
    return CliRun.run(dataDir, ENV, all);
  }

  @Test
  void payoutsShowAmountsTxIdsAndProofs() throws IOException {
    writeEscrow();
    final CliRun r = xmr("payouts", "5");
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).contains("job-5/" + WORKER + " release tx ab12 fee 0.0018084 XMR")
        .contains("4.2 XMR to 4Worker").contains("OutProofV2xyz")
        .contains("check_tx_proof ab12 4Worker \"job-5/" + WORKER + "\"");
  }

  @Test
  void statusShowsSetupFundingAndSettlements() throws IOException {
    writeEscrow();
    final CliRun r = xmr("escrow-status", "5");
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).contains("job-5/" + WORKER + ": worker, ready").contains("address: 4Escrow")
        .contains("deposit: 10 XMR, 0.01 XMR/step, arbiter fee 0.05 XMR").contains("settled: [release]");
  }

  @Test
  void jsonGivesTheDocumentedFieldsWithExactPiconero() throws IOException {
    writeEscrow();
    final com.fasterxml.jackson.databind.ObjectMapper m = new com.fasterxml.jackson.databind.ObjectMapper();
    final CliRun status = xmr("escrow-status", "5", "--json");
    assertThat(status.exitCode()).as(status.err()).isZero();
    final com.fasterxml.jackson.databind.JsonNode s = m.readTree(status.out());
    assertThat(s.get("jobId").asText()).isEqualTo("5");
    final com.fasterxml.jackson.databind.JsonNode e = s.get("escrows").get(0);
    assertThat(e.get("escrowId").asText()).isEqualTo("job-5/" + WORKER);
    assertThat(e.get("role").asText()).isEqualTo("worker");
    assertThat(e.get("ready").asBoolean()).isTrue();
    assertThat(e.get("multisigAddress").asText()).isEqualTo("4Escrow");
    assertThat(e.get("deposit").asText()).isEqualTo("10000000000000");
    assertThat(e.get("pricePerStep").asText()).isEqualTo("10000000000");
    assertThat(e.get("funding").isNull()).isTrue();
    assertThat(e.get("pending").isNull()).isTrue();
    assertThat(e.get("settled").get(0).asText()).isEqualTo("release");

    final CliRun payouts = xmr("payouts", "5", "--json");
    assertThat(payouts.exitCode()).as(payouts.err()).isZero();
    final com.fasterxml.jackson.databind.JsonNode p = m.readTree(payouts.out()).get("payouts").get(0);
    assertThat(p.get("kind").asText()).isEqualTo("release");
    assertThat(p.get("txHashes").get(0).asText()).isEqualTo("ab12");
    assertThat(p.get("fee").asText()).isEqualTo("1808400000");
    final com.fasterxml.jackson.databind.JsonNode proof = p.get("proofs").get(0);
    assertThat(proof.get("amount").asText()).isEqualTo("4200000000000");
    assertThat(proof.get("address").asText()).isEqualTo("4Worker");
    assertThat(proof.get("message").asText()).isEqualTo("job-5/" + WORKER);
    assertThat(proof.get("signature").asText()).isEqualTo("OutProofV2xyz");
  }

  @Test
  void theStoreIsEncryptedAndAnotherAccountCannotReadIt() throws IOException {
    writeEscrow();
    try (var files = Files.list(XmrEscrows.dir(dataDir))) {
      for (final Path f : files.toList()) {
        assertThat(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1)).doesNotContain("OutProofV2xyz")
            .doesNotContain("4Escrow");
      }
    }
    final Path other = Files.writeString(dataDir.resolve("other.txt"), "59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d\n");
    final CliRun imported = CliRun.run(dataDir, ENV, "wallet", "import", "--private-key-file", other.toString(),
        "--password-env", "PW", "--Xlight-kdf");
    assertThat(imported.exitCode()).as(imported.err()).isZero();
    final Path otherFile;
    try (var files = Files.list(dataDir.resolve("keystore"))) {
      otherFile = files.filter(f -> f.getFileName().toString().toLowerCase().contains("70997970c51812dc3a010c7d01b50e0d17dc79c8"))
          .findFirst().orElseThrow();
    }
    final CliRun wrong = xmr("payouts", "5", "--keystore", otherFile.toString());
    assertThat(wrong.exitCode()).isEqualTo(ExitCodes.CONFIG);
    assertThat(wrong.err()).contains("does not decrypt with this account key").contains("--from/--keystore");
  }

  @Test
  void payoutSettingsAreCheckedWhenSetAndShown() throws IOException {
    final String fund = io.tensorlink.monero.regtest.MoneroRegtest.BURN_ADDRESS;
    assertThat(CliRun.run(dataDir, "xmr", "payout-settings").exitCode()).isEqualTo(ExitCodes.CONFIG);
    final String typo = fund.substring(0, 94) + (fund.charAt(94) == 'A' ? 'B' : 'A');
    final CliRun bad = CliRun.run(dataDir, "config", "set", "xmr.payout-address", typo);
    assertThat(bad.exitCode()).isNotZero();
    assertThat(bad.err()).contains("xmr.payout-address").contains("checksum does not match");
    assertThat(CliRun.run(dataDir, "config", "set", "xmr.payout-address", fund).exitCode()).isZero();
    assertThat(CliRun.run(dataDir, "config", "set", "xmr.min-payout", "0.0000000000001").err()).contains("at most 12 decimals");
    assertThat(CliRun.run(dataDir, "config", "set", "xmr.min-payout", "0.05").exitCode()).isZero();
    final CliRun shown = CliRun.run(dataDir, "xmr", "payout-settings", "--json");
    assertThat(shown.exitCode()).as(shown.err()).isZero();
    final com.fasterxml.jackson.databind.JsonNode j = new com.fasterxml.jackson.databind.ObjectMapper().readTree(shown.out());
    assertThat(j.get("payoutAddress").asText()).isEqualTo(fund);
    assertThat(j.get("minPayout").asText()).isEqualTo("50000000000");
    assertThat(CliRun.run(dataDir, "xmr", "payout-settings").out()).contains("minimum payout: 0.05 XMR");
  }

  @Test
  void aJobWithoutEscrowsIsAClearFailure() {
    final CliRun r = CliRun.run(dataDir, "xmr", "payouts", "6");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).contains("no XMR escrow of job 6 in");
  }
}
