package io.tensorlink.contracts.deploy;

import io.tensorlink.contracts.devnet.DevnetGenesis;
import io.tensorlink.contracts.devnet.GenesisException;
import org.web3j.crypto.Bip32ECKeyPair;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.MnemonicUtils;

/**
 * The accounts of a BIP-39 mnemonic on the standard Ethereum path {@code m/44'/60'/0'/0/i}, as
 * anvil, Hardhat and MetaMask derive them. Used for the devnet's public test mnemonic only.
 */
public final class MnemonicAccounts {
  /** The devnet's chain id: the one chain where the public test mnemonic's accounts may receive anything. */
  public static final long DEVNET_CHAIN_ID = 7701;

  private static final int H = Bip32ECKeyPair.HARDENED_BIT;

  private final Bip32ECKeyPair master;

  public MnemonicAccounts(final String mnemonic) {
    if (!MnemonicUtils.validateMnemonic(mnemonic.trim())) {
      throw new IllegalArgumentException("not a valid BIP-39 mnemonic (word list or checksum)");
    }
    this.master = Bip32ECKeyPair.generateKeyPair(MnemonicUtils.generateSeed(mnemonic.trim(), ""));
  }

  /**
   * The genesis mnemonic's accounts, for allocating to them on chain {@code targetChainId}. Its
   * keys are public, so anything given to them on a real chain is anyone's: refused on every chain
   * but the devnet's.
   *
   * @param key the genesis key that asked for a mnemonic account (named in the refusal)
   * @throws GenesisException when {@code targetChainId} is not the devnet's or the genesis has no mnemonic
   */
  public static MnemonicAccounts forDeployment(final DevnetGenesis genesis, final long targetChainId, final String key) {
    if (targetChainId != DEVNET_CHAIN_ID) {
      throw new GenesisException(key + " allocates to mnemonic account index, refused on chain " + targetChainId
          + ": the mnemonic of genesis '" + genesis.name() + "' is public, only the devnet (chain " + DEVNET_CHAIN_ID
          + ") may use it. Name the address instead (\"address\": \"0x…\"), as genesis/testnet.json does");
    }
    if (genesis.mnemonic().isBlank()) {
      throw new GenesisException(key + " allocates to a mnemonic account index but genesis '" + genesis.name() + "' has no mnemonic");
    }
    return new MnemonicAccounts(genesis.mnemonic());
  }

  /** Account {@code index} (0-based). */
  public Credentials account(final int index) {
    if (index < 0) {
      throw new IllegalArgumentException("account index must be >= 0, got " + index);
    }
    return Credentials.create(Bip32ECKeyPair.deriveKeyPair(master, new int[] {44 | H, 60 | H, H, 0, index}));
  }

  public String address(final int index) {
    return account(index).getAddress();
  }
}
