package io.tensorlink.contracts.devnet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DevnetGenesisTest {
  @TempDir Path dir;

  @Test
  void loadsTheShippedDevnetGenesis() {
    final DevnetGenesis genesis = DevnetGenesis.load(DevnetGenesis.locate(Path.of("")));
    assertThat(genesis.chainId()).isEqualTo(7701);
    assertThat(genesis.rpcHost()).isEqualTo("127.0.0.1");
    assertThat(genesis.accounts()).isGreaterThanOrEqualTo(4);
    assertThat(genesis.section("staking").has("minValidatorStake")).isTrue();
  }

  @Test
  void aMissingKeyIsNamedWithTheFile() throws IOException {
    final Path file = write("{\"name\":\"x\",\"rpcHost\":\"127.0.0.1\",\"rpcPort\":1,\"blockTimeSeconds\":0,"
        + "\"mnemonic\":\"a b c d e f g h i j k l\",\"accounts\":1,\"etherBalance\":\"1\"}");
    assertThatThrownBy(() -> DevnetGenesis.load(file))
        .isInstanceOf(GenesisException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("chainId: must be an integer");
  }

  @Test
  void anOutOfRangeValueIsNamed() throws IOException {
    final Path file = write(valid().replace("\"rpcPort\":8545", "\"rpcPort\":70000"));
    assertThatThrownBy(() -> DevnetGenesis.load(file)).hasMessageContaining("rpcPort: must be 0..65535, got 70000");
  }

  @Test
  void aNonNumericBalanceIsNamed() throws IOException {
    final Path file = write(valid().replace("\"etherBalance\":\"10\"", "\"etherBalance\":\"lots\""));
    assertThatThrownBy(() -> DevnetGenesis.load(file)).hasMessageContaining("etherBalance");
  }

  @Test
  void malformedJsonIsReported() throws IOException {
    final Path file = write("{\"chainId\": ");
    assertThatThrownBy(() -> DevnetGenesis.load(file)).hasMessageContaining("cannot read genesis");
  }

  @Test
  void aMissingSectionIsNamed() throws IOException {
    final DevnetGenesis genesis = DevnetGenesis.load(write(valid()));
    assertThatThrownBy(() -> genesis.section("escrow")).hasMessageContaining("'escrow' is missing");
  }

  @Test
  void locateFailsClearlyOutsideTheRepository() {
    assertThatThrownBy(() -> DevnetGenesis.locate(dir)).hasMessageContaining("genesis/devnet.json not found");
  }

  private static String valid() {
    return "{\"name\":\"t\",\"chainId\":5,\"rpcHost\":\"127.0.0.1\",\"rpcPort\":8545,\"blockTimeSeconds\":0,"
        + "\"mnemonic\":\"test test test test test test test test test test test junk\",\"accounts\":2,"
        + "\"etherBalance\":\"10\"}";
  }

  private Path write(final String json) throws IOException {
    final Path file = dir.resolve("genesis.json");
    Files.writeString(file, json);
    return file;
  }
}
