package io.tensorlink.contracts.pol;

import io.tensorlink.contracts.deploy.ChainInfo;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.methods.response.EthBlock;
import org.web3j.utils.Numeric;

/**
 * A header's randomness: the hash of chain block {@code block}. {@code PoLAnchor.submit} requires
 * {@code randomness == blockhash(randomnessBlock)} with the block among the last 256 before the
 * submitting transaction's block.
 *
 * @param block the chain block number ({@code randomnessBlock})
 * @param hash its 32-byte hash ({@code randomness})
 */
public record Randomness(long block, byte[] hash) {
  public Randomness {
    if (block < 0 || hash.length != 32) {
      throw new IllegalArgumentException("randomness needs a block number >= 0 and a 32-byte hash, got " + block
          + " and " + hash.length + " bytes");
    }
    hash = hash.clone();
  }

  @Override
  public byte[] hash() {
    return hash.clone();
  }

  /**
   * The parent of the latest block: its hash is final, and it stays strictly below the block of a
   * transaction sent now (and of an {@code eth_call} pre-flight against the latest block).
   */
  public static Randomness recent(final Web3j web3j) {
    final EthBlock.Block latest = ChainInfo.latestBlock(web3j);
    final long number = latest.getNumber().longValueExact();
    if (number == 0) {
      throw new IllegalStateException("the chain has no block before the latest yet: randomness needs block >= 1");
    }
    return new Randomness(number - 1, Numeric.hexStringToByteArray(latest.getParentHash()));
  }
}
