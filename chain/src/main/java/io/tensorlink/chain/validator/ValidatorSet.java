package io.tensorlink.chain.validator;

import io.tensorlink.chain.pol.EthAddress;
import java.math.BigInteger;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The epoch's active validators and their stakes, as {@code StakeManager.activeSnapshot()} returns
 * them: what the anchor checks signatures and the quorum against.
 *
 * @param members sorted by ascending address (the order signatures must be submitted in)
 */
public record ValidatorSet(BigInteger epoch, List<Member> members, BigInteger totalStake) {
  /** One active validator. */
  public record Member(String address, BigInteger stake) {
    public Member {
      address = EthAddress.lower(address);
    }
  }

  public ValidatorSet {
    members = members.stream().sorted(Comparator.comparing(m -> new BigInteger(1, EthAddress.bytes(m.address())))).toList();
  }

  public boolean contains(final String address) {
    return stakeOf(address).isPresent();
  }

  public Optional<BigInteger> stakeOf(final String address) {
    final String a = EthAddress.lower(address);
    return members.stream().filter(m -> m.address().equals(a)).map(Member::stake).findFirst();
  }

  /** Whether {@code signers} (distinct, active) hold at least 2/3 of the total stake: {@code 3·signed ≥ 2·total}. */
  public boolean isQuorum(final java.util.Collection<String> signers) {
    return totalStake.signum() > 0
        && signedStake(signers).multiply(BigInteger.valueOf(3)).compareTo(totalStake.multiply(BigInteger.TWO)) >= 0;
  }

  /** Whether {@code signers} (distinct, active) hold more than 1/3 of the total stake: {@code 3·signed > total}. */
  public boolean holdsMoreThanAThird(final java.util.Collection<String> signers) {
    return totalStake.signum() > 0 && signedStake(signers).multiply(BigInteger.valueOf(3)).compareTo(totalStake) > 0;
  }

  private BigInteger signedStake(final java.util.Collection<String> signers) {
    final Map<String, BigInteger> byAddress = members.stream().collect(Collectors.toMap(Member::address, Member::stake));
    return signers.stream().map(EthAddress::lower).distinct().map(byAddress::get)
        .filter(java.util.Objects::nonNull).reduce(BigInteger.ZERO, BigInteger::add);
  }

  public boolean isEmpty() {
    return members.isEmpty();
  }

  /** Members' addresses in order. */
  public List<String> addresses() {
    return members.stream().map(Member::address).toList();
  }

}
