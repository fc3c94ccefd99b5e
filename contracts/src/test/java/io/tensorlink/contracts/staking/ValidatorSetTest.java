package io.tensorlink.contracts.staking;

import static io.tensorlink.contracts.testing.SuiteActions.bytes32;
import static io.tensorlink.contracts.testing.SuiteActions.tl;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tensorlink.contracts.ContractSuite;
import io.tensorlink.contracts.pol.PayoutTree;
import io.tensorlink.contracts.pol.PoLBlocks;
import io.tensorlink.contracts.revert.ContractRevertException;
import io.tensorlink.contracts.generated.PoLAnchor.PoLBlock;
import io.tensorlink.contracts.testing.DeployedDevnet;
import io.tensorlink.contracts.testing.SuiteActions;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.utils.Numeric;

/**
 * The validator set at full size on a real anvil: the minimum stake, the top-20 rule (ties keep
 * the incumbent, a larger newcomer displaces the smallest member), then anchoring with 3 and with
 * 14 of the 20 validators, and anchoring gas that does not grow with the number of payouts.
 * One scenario, in order: each step builds on the previous one.
 */
class ValidatorSetTest {
  @AutoClose private static DeployedDevnet devnet;
  private static SuiteActions act;
  private static final List<Credentials> fresh = new ArrayList<>();

  @BeforeAll
  static void setUp() {
    devnet = DeployedDevnet.start();
    act = new SuiteActions(devnet);
    for (int i = 0; i < 22; i++) {
      final Credentials c = Credentials.create(Numeric.toHexStringNoPrefix(Hash.sha3(("tl-validator-" + i).getBytes(StandardCharsets.UTF_8))));
      devnet.fundEther(c.getAddress(), BigInteger.TEN.pow(21));
      fresh.add(c);
    }
  }

  @Test
  void topTwentyByStakeThenQuorumsOfThreeAndFourteen() throws Exception {
    final ContractSuite bank = devnet.suite(0);
    // v0..v2 hold most of the stake; v3..v19 hold 39,903..39,919 TL, v3 being the smallest.
    for (int i = 0; i < 20; i++) {
      final BigInteger amount = i < 3 ? tl(1_000_000) : tl(39_900 + i);
      bank.token().transfer(fresh.get(i).getAddress(), amount).send();
      final TransactionReceipt staked = act.stake(fresh.get(i), amount);
      if (i == 0) {
        System.out.printf("[gas] %-36s %,d%n", "StakeManager.stake (first stake)", staked.getGasUsed());
      }
      devnet.suite(fresh.get(i)).stakeManager().registerValidator().send();
    }
    final ContractSuite view = devnet.suite(0);
    assertThat(view.stakeManager().activeValidators().send().component1()).hasSize(20);

    // Below the minimum: refused, with the numbers.
    final Credentials newcomer = fresh.get(20);
    bank.token().transfer(newcomer.getAddress(), tl(60_000)).send();
    act.stake(newcomer, tl(39_899));
    assertThatThrownBy(() -> devnet.suite(newcomer).stakeManager().registerValidator().send())
        .isInstanceOfSatisfying(ContractRevertException.class, e -> assertThat(e.revert().toString()).isEqualTo(
            "StakeManagerInsufficientStake(account=" + newcomer.getAddress() + ", stake=" + tl(39_899) + ", needed=" + tl(39_900) + ")"));

    // A tie with the smallest member keeps the incumbent out of reach.
    final Credentials tie = fresh.get(21);
    bank.token().transfer(tie.getAddress(), tl(39_903)).send();
    act.stake(tie, tl(39_903));
    devnet.suite(tie).stakeManager().registerValidator().send();
    assertThat(view.stakeManager().isActiveValidator(tie.getAddress()).send()).isFalse();
    assertThat(view.stakeManager().isActiveValidator(fresh.get(3).getAddress()).send()).isTrue();

    // A larger newcomer displaces the smallest member; the set stays at 20.
    act.stake(newcomer, tl(10_101));
    devnet.suite(newcomer).stakeManager().registerValidator().send();
    assertThat(view.stakeManager().isActiveValidator(newcomer.getAddress()).send()).isTrue();
    assertThat(view.stakeManager().isActiveValidator(fresh.get(3).getAddress()).send()).isFalse();
    assertThat(view.stakeManager().activeValidators().send().component1()).hasSize(20);

    // Next epoch: the snapshot holds the 20; anchor with 3 (81% of the stake), then 14 signers.
    devnet.advanceTime(3_600);
    final List<Credentials> active = new ArrayList<>(fresh.subList(0, 20));
    active.set(3, newcomer);
    final Credentials w1 = devnet.account(4);
    final Credentials w2 = devnet.account(5);
    act.stake(w1, tl(1_000));
    act.stake(w2, tl(1_000));
    act.createJob(devnet.account(0), tl(100_000), tl(1), devnet.latestTimestamp() + 86_400);
    final BigInteger jobId = view.escrow().jobCount().send();
    view.escrow().assign(jobId, List.of(w1.getAddress(), w2.getAddress()), bytes32(3)).send();

    final PoLBlock b0 = act.header(jobId, 0, new byte[32], 0, 100, bytes32(1), PayoutTree.of(Map.of(w1.getAddress(), tl(1))).root());
    final TransactionReceipt three = act.submit(devnet.account(7), b0, active.subList(0, 3));
    // Fees are pulled later (claimFee), so the first block 11 new signers sign costs what the others do.
    final PoLBlock b1 = act.header(jobId, 1, PoLBlocks.hash(b0), 100, 200, bytes32(1), payoutsFor(2).root());
    final TransactionReceipt fourteenFirst = act.submit(devnet.account(7), b1, active.subList(0, 14));
    final PoLBlock b2 = act.header(jobId, 2, PoLBlocks.hash(b1), 200, 300, bytes32(1), payoutsFor(1_000).root());
    final TransactionReceipt fourteenMany = act.submit(devnet.account(7), b2, active.subList(0, 14));
    final PoLBlock b3 = act.header(jobId, 3, PoLBlocks.hash(b2), 300, 400, bytes32(1), payoutsFor(2).root());
    final TransactionReceipt fourteenFew = act.submit(devnet.account(7), b3, active.subList(0, 14));
    System.out.printf("[gas] %-44s %,d%n", "PoLAnchor.submit (3 of 20 signers)", three.getGasUsed());
    System.out.printf("[gas] %-44s %,d%n", "PoLAnchor.submit (14 of 20, 11 new signers)", fourteenFirst.getGasUsed());
    System.out.printf("[gas] %-44s %,d%n", "PoLAnchor.submit (14 of 20, 1000 payouts)", fourteenMany.getGasUsed());
    System.out.printf("[gas] %-44s %,d%n", "PoLAnchor.submit (14 of 20, 2 payouts)", fourteenFew.getGasUsed());

    assertThat(view.anchor().head(jobId).send().component2()).isEqualTo(BigInteger.valueOf(4));
    assertThat(fourteenFew.getGasUsed()).isGreaterThan(three.getGasUsed());
    // The payouts are a root: a thousand workers cost what two do (calldata bytes differ slightly).
    assertThat(fourteenMany.getGasUsed().subtract(fourteenFew.getGasUsed()).abs()).isLessThan(BigInteger.valueOf(300));
    // The displaced validator's signature no longer counts.
    final PoLBlock b4 = act.header(jobId, 4, PoLBlocks.hash(b3), 400, 500, bytes32(1), bytes32(2));
    assertThatThrownBy(() -> act.submit(devnet.account(7), b4, List.of(active.get(0), active.get(1), fresh.get(3))))
        .isInstanceOfSatisfying(ContractRevertException.class, e -> assertThat(e.revert().name()).isEqualTo("PoLAnchorNotActiveValidator"));
  }

  private static PayoutTree payoutsFor(final int workers) {
    final Map<String, BigInteger> payouts = new HashMap<>();
    for (int i = 0; i < workers; i++) {
      payouts.put(Numeric.toHexStringWithPrefixZeroPadded(BigInteger.valueOf(i + 1), 40), BigInteger.ONE);
    }
    return PayoutTree.of(payouts);
  }
}
