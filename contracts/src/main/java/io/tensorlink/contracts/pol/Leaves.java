package io.tensorlink.contracts.pol;

import io.tensorlink.contracts.merkle.StandardLeaf;
import java.math.BigInteger;
import java.util.List;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.generated.Uint256;

/**
 * The payout leaf of a PoL block, encoded as the Solidity {@code Leaves} library does. Step-record
 * leaves are their EIP-712 struct hash ({@link StepRecords#hash}).
 */
public final class Leaves {
  private Leaves() {}

  /** A payout leaf of a block's payoutsRoot: {@code abi.encode(worker, amount)}, double-hashed. */
  @SuppressWarnings("rawtypes")
  public static byte[] payout(final String worker, final BigInteger amount) {
    return StandardLeaf.hash(List.<Type>of(new Address(worker), new Uint256(amount)));
  }
}
