package io.tensorlink.chain.validator.suite;

import io.tensorlink.chain.validator.AnchorClient;
import io.tensorlink.chain.validator.BlockCandidate;
import io.tensorlink.chain.validator.ChainRandomness;
import io.tensorlink.chain.validator.ValidatorSet;
import io.tensorlink.chain.validator.pol.PolHeaders;
import io.tensorlink.contracts.ContractSuite;
import io.tensorlink.contracts.deploy.ChainInfo;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.methods.response.EthBlock;
import org.web3j.tuples.generated.Tuple4;
import org.web3j.utils.Numeric;

/**
 * {@link AnchorClient} on the suite (v2) through the contracts' Java API: the active set from
 * {@code StakeManager.activeSnapshot()}, the latest mined block as randomness (the anchor accepts
 * any of the last 256), {@code PoLAnchor.submit} with pol-core's {@code PoLHeader}.
 */
public final class SuiteAnchorClient implements AnchorClient {
  private final ContractSuite suite;
  private final Web3j web3j;

  public SuiteAnchorClient(final ContractSuite suite, final Web3j web3j) {
    this.suite = suite;
    this.web3j = web3j;
  }

  @Override
  public ValidatorSet activeSet() {
    final Tuple4<BigInteger, List<String>, List<BigInteger>, BigInteger> s;
    try {
      s = suite.stakeManager().activeSnapshot().send();
    } catch (Exception e) {
      throw new IllegalStateException("StakeManager.activeSnapshot() failed: " + e.getMessage(), e);
    }
    final List<ValidatorSet.Member> members = new ArrayList<>();
    for (int i = 0; i < s.component2().size(); i++) {
      members.add(new ValidatorSet.Member(s.component2().get(i), s.component3().get(i)));
    }
    return new ValidatorSet(s.component1(), members, s.component4());
  }

  @Override
  public ChainRandomness recentRandomness() {
    final EthBlock.Block latest = ChainInfo.latestBlock(web3j);
    return new ChainRandomness(latest.getNumber().longValueExact(), Numeric.hexStringToByteArray(latest.getHash()));
  }

  @Override
  public String submit(final BlockCandidate header, final List<byte[]> signatures) {
    try {
      return suite.anchor().submit(PolHeaders.toPoLBlock(PolHeaders.decode(header.encoded())), signatures).send()
          .getTransactionHash();
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException("PoLAnchor.submit of " + header + " failed: " + e.getMessage(), e);
    }
  }
}
