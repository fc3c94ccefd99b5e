package io.tensorlink.contracts.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tensorlink.contracts.devnet.DevnetGenesis;
import io.tensorlink.contracts.devnet.GenesisException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Token allocations name explicit addresses, or mnemonic indices only on the devnet's chain. */
class GenesisAllocationsTest {
  static final Path GENESIS = DevnetGenesis.locate(Path.of("")).getParent();
  @TempDir Path dir;

  @Test
  void theDevnetMnemonicAllocatesOnTheDevnetChain() {
    final DevnetGenesis devnet = DevnetGenesis.load(GENESIS.resolve("devnet.json"));
    final SuiteParameters p = SuiteParameters.fromGenesis(devnet, MnemonicAccounts.DEVNET_CHAIN_ID);
    assertThat(p.allocations().get(0).holder()).isEqualTo(new MnemonicAccounts(devnet.mnemonic()).address(0));
    assertThat(p.treasury()).isEqualTo(new MnemonicAccounts(devnet.mnemonic()).address(0));
  }

  @Test
  void theDevnetMnemonicIsRefusedOnAnyOtherChain() {
    final DevnetGenesis devnet = DevnetGenesis.load(GENESIS.resolve("devnet.json"));
    assertThatThrownBy(() -> SuiteParameters.fromGenesis(devnet, 11155111))
        .isInstanceOf(GenesisException.class)
        .hasMessageStartingWith("token.allocations[0].account allocates to mnemonic account index, refused on chain 11155111")
        .hasMessageContaining("only the devnet (chain 7701)")
        .hasMessageContaining("genesis/testnet.json");
  }

  @Test
  void theTestnetTemplateNamesEveryAddressAndWorksOnAnyChain() {
    final DevnetGenesis testnet = DevnetGenesis.load(GENESIS.resolve("testnet.json"));
    assertThat(testnet.mnemonic()).isEmpty();
    assertThat(testnet.accounts()).isZero();
    final SuiteParameters p = SuiteParameters.fromGenesis(testnet, 11155111);
    assertThat(p.allocations()).isNotEmpty().allSatisfy(a -> assertThat(a.holder()).matches("0x[0-9a-fA-F]{40}"));
    assertThat(p.treasury()).isEqualTo(p.allocations().get(0).holder());
    assertThat(SuiteParameters.fromGenesis(testnet)).isEqualTo(p);
  }

  @Test
  void aTreasuryIndexIsRefusedOffTheDevnetToo() throws IOException {
    final String text = Files.readString(GENESIS.resolve("testnet.json"));
    final String treasury = text.substring(text.indexOf("\"treasury\""), text.indexOf('\n', text.indexOf("\"treasury\"")));
    final DevnetGenesis g = DevnetGenesis.load(write(text.replace(treasury, "\"treasuryAccount\": 0")));
    assertThatThrownBy(() -> SuiteParameters.fromGenesis(g, 7702)).hasMessageStartingWith("escrow.treasuryAccount allocates to mnemonic account index, refused on chain 7702");
    assertThatThrownBy(() -> SuiteParameters.fromGenesis(g, MnemonicAccounts.DEVNET_CHAIN_ID))
        .hasMessageContaining("escrow.treasuryAccount allocates to a mnemonic account index but genesis 'tensorlink-testnet-template' has no mnemonic");
  }

  @Test
  void badExplicitHoldersAreNamed() throws IOException {
    final String text = Files.readString(GENESIS.resolve("testnet.json"));
    final DevnetGenesis shortAddress = DevnetGenesis.load(write(text.replaceFirst("\"address\": \"0x[0-9a-f]{40}\"", "\"address\": \"0x1234\"")));
    assertThatThrownBy(() -> SuiteParameters.fromGenesis(shortAddress, 7702)).hasMessage("token.allocations[0].address: must be a 0x-prefixed 20-byte hex address");
    final DevnetGenesis both = DevnetGenesis.load(write(text.replaceFirst("\"address\"", "\"account\": 1, \"address\"")));
    assertThatThrownBy(() -> SuiteParameters.fromGenesis(both, 7702)).hasMessage("token.allocations[0]: give address or account, not both");
  }

  private Path write(final String json) throws IOException {
    final Path file = dir.resolve("net.json");
    Files.writeString(file, json);
    return file;
  }
}
