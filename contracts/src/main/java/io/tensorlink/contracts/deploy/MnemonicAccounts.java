package io.tensorlink.contracts.deploy;

import org.web3j.crypto.Bip32ECKeyPair;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.MnemonicUtils;

/**
 * The accounts of a BIP-39 mnemonic on the standard Ethereum path {@code m/44'/60'/0'/0/i}, as
 * anvil, Hardhat and MetaMask derive them. Used for the devnet's public test mnemonic only.
 */
public final class MnemonicAccounts {
  private static final int H = Bip32ECKeyPair.HARDENED_BIT;

  private final Bip32ECKeyPair master;

  public MnemonicAccounts(final String mnemonic) {
    if (!MnemonicUtils.validateMnemonic(mnemonic.trim())) {
      throw new IllegalArgumentException("not a valid BIP-39 mnemonic (word list or checksum)");
    }
    this.master = Bip32ECKeyPair.generateKeyPair(MnemonicUtils.generateSeed(mnemonic.trim(), ""));
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
