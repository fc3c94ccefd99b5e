package io.tensorlink.monero.escrow;

/**
 * Where an escrow's multisig address is committed so nobody can swap it: on the EVM chain, the job's
 * {@code XmrEscrowRegistry} entry ({@code chain.xmr.XmrEscrowCommitment}). Every party checks it
 * before it moves or earns anything: the client before it funds, the worker before it works.
 */
@FunctionalInterface
public interface AddressCommitment {
  /**
   * Returns normally only when {@code multisigAddress} is the address committed for {@code escrowId};
   * otherwise an {@link EscrowException} that says what is committed (nothing, or another address).
   */
  void verify(String escrowId, String multisigAddress);
}
