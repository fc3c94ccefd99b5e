package io.tensorlink.monero.rpc;

import java.util.Locale;

/**
 * What went wrong in a Monero RPC call, with the hint an operator needs. Wallet-rpc codes are those of
 * {@code wallet_rpc_server_error_codes.h} in monero 0.18; a few kinds are recognised by their message
 * because the wallet reports them under a generic code.
 */
public enum MoneroErrorKind {
  MULTISIG_DISABLED("multisig is disabled in this wallet: it must be enabled when the wallet is prepared"
      + " (prepare_multisig with enable_multisig_experimental), or on an existing wallet with"
      + " monero-wallet-cli --offline --wallet-file <file> set enable-multisig-experimental 1"),
  NOT_ENOUGH_UNLOCKED_MONEY("not enough unlocked money: outputs need 10 blocks after they arrive (60 for"
      + " coinbase) before they can be spent; wait for more blocks"),
  NOT_ENOUGH_MONEY("not enough money in the wallet for the amounts plus the fee"),
  MULTISIG_IMPORT_NEEDED("multisig import needed: the signers must exchange export_multisig_info/"
      + "import_multisig_info after every incoming output and every spend"),
  NO_DAEMON_CONNECTION("the wallet cannot reach its monerod"),
  WALLET_NOT_OPEN("no wallet is open in this wallet-rpc"),
  BAD_MULTISIG_TX("the multisig transaction set is malformed or was changed"),
  MULTISIG_NOT_ENOUGH_SIGNERS("the multisig transaction needs one more signature"),
  ALREADY_SIGNED("this wallet already signed the multisig transaction"),
  UNREACHABLE("the RPC server is not reachable"),
  TIMEOUT("the RPC call timed out"),
  UNAUTHORIZED("the RPC server refused the credentials (digest auth)"),
  OTHER("");

  private final String hint;

  MoneroErrorKind(final String hint) {
    this.hint = hint;
  }

  public String hint() {
    return hint;
  }

  /** Classifies a JSON-RPC error object from monerod or monero-wallet-rpc. */
  public static MoneroErrorKind classify(final int code, final String message) {
    final String m = message == null ? "" : message.toLowerCase(Locale.ROOT);
    if (code == -48 || m.contains("multisig is disabled")) {
      return MULTISIG_DISABLED;
    }
    if (code == -37 || m.contains("not enough unlocked money")) {
      return NOT_ENOUGH_UNLOCKED_MONEY;
    }
    if (code == -17 || m.contains("not enough money")) {
      return NOT_ENOUGH_MONEY;
    }
    if (m.contains("import_multisig") || m.contains("multisig info from more participants")
        || m.contains("no transaction created")) {
      // 0.18 reports a multisig spend before import as -16 "No transaction created", and an export/import
      // gap as -33 "Needs multisig info from more participants".
      return MULTISIG_IMPORT_NEEDED;
    }
    if (code == -38) {
      return NO_DAEMON_CONNECTION;
    }
    if (code == -13) {
      return WALLET_NOT_OPEN;
    }
    if (code == -34) {
      return BAD_MULTISIG_TX;
    }
    if (code == -33) {
      return MULTISIG_NOT_ENOUGH_SIGNERS;
    }
    if (code == -35) {
      return ALREADY_SIGNED;
    }
    return OTHER;
  }
}
