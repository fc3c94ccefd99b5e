package io.tensorlink.contracts.revert;

import java.util.Optional;

/**
 * A call or transaction reverted; {@link #revert()} says with which error and arguments.
 *
 * <p>{@link #transactionHash()} is present when a mined transaction failed (gas was spent), and
 * absent when the revert was caught by the pre-flight {@code eth_call} before sending.
 */
public final class ContractRevertException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient DecodedRevert revert;
  private final String transactionHash;

  public ContractRevertException(final String action, final DecodedRevert revert, final String transactionHash) {
    super(action + " reverted: " + revert + (transactionHash == null ? "" : " (tx " + transactionHash + ")"));
    this.revert = revert;
    this.transactionHash = transactionHash;
  }

  public DecodedRevert revert() {
    return revert;
  }

  public Optional<String> transactionHash() {
    return Optional.ofNullable(transactionHash);
  }
}
