package io.tensorlink.contracts.pol;

import io.tensorlink.contracts.generated.DisputeCourt.StepRecord;
import io.tensorlink.contracts.merkle.StandardLeaf;
import java.math.BigInteger;
import java.util.List;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.generated.Uint256;

/** The Merkle leaves of a PoL block, encoded as the Solidity {@code Leaves} library does. */
public final class Leaves {
  private Leaves() {}

  /** A payout leaf of a block's payoutsRoot: {@code abi.encode(worker, amount)}, double-hashed. */
  @SuppressWarnings("rawtypes")
  public static byte[] payout(final String worker, final BigInteger amount) {
    return StandardLeaf.hash(List.<Type>of(new Address(worker), new Uint256(amount)));
  }

  /** A step-record leaf of a block's stepsRoot: {@code abi.encode(record)} (all static fields), double-hashed. */
  @SuppressWarnings("rawtypes")
  public static byte[] step(final StepRecord record) {
    return StandardLeaf.hash(List.<Type>of(record));
  }
}
