package io.tensorlink.chain.xmr;

import io.tensorlink.chain.validator.AnvilSuiteAccess;
import io.tensorlink.contracts.ContractSuite;
import io.tensorlink.contracts.generated.PoLAnchor;
import io.tensorlink.contracts.pol.PoLBlocks;
import io.tensorlink.contracts.pol.Randomness;
import io.tensorlink.monero.rpc.WalletRpc;
import java.math.BigInteger;
import java.util.List;
import org.web3j.crypto.Credentials;

/** What the anchored XMR tests do on their anvil and wallets: anchor PoL blocks, read balances. */
final class TestChain {
  private TestChain() {}

  /** Anchors block {@code index} signed by all {@code validators}; returns its hash (the next parent). */
  static byte[] anchor(final AnvilSuiteAccess chain, final List<Credentials> validators, final BigInteger jobId,
      final long index, final byte[] parent, final byte[] payoutsRoot) throws Exception {
    final ContractSuite s = ContractSuite.connect(chain.web3j(), chain.account(6), chain.deployment());
    final Randomness r = Randomness.recent(chain.web3j());
    final byte[] stepsRoot = new byte[32];
    stepsRoot[31] = (byte) (index + 1);
    final byte[] checkpointRoot = new byte[32];
    checkpointRoot[31] = (byte) 0xc0;
    final PoLAnchor.PoLBlock h = new PoLAnchor.PoLBlock(jobId, BigInteger.valueOf(index), parent, BigInteger.valueOf(index * 10),
        BigInteger.valueOf(index * 10 + 10), stepsRoot, payoutsRoot, checkpointRoot, r.hash(), BigInteger.valueOf(r.block()));
    s.anchor().submit(h, PoLBlocks.signAll(validators, s.polDomain(), h)).send();
    return PoLBlocks.hash(h);
  }

  static long balance(final WalletRpc w) {
    w.refresh();
    return w.balance().balance();
  }
}
