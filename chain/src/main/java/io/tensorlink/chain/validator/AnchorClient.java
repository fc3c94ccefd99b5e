package io.tensorlink.chain.validator;

import java.util.List;

/** The chain side of anchoring: the active set, recent randomness and {@code PoLAnchor.submit}. */
public interface AnchorClient {
  /** The current epoch's active validator snapshot. */
  ValidatorSet activeSet();

  /** A recent mined block to draw a header's randomness from. */
  ChainRandomness recentRandomness();

  /**
   * Submits {@code header} with {@code signatures} (ordered by ascending signer address).
   *
   * @return the transaction hash
   * @throws RuntimeException naming the revert if the anchor refuses it
   */
  String submit(BlockCandidate header, List<byte[]> signatures);
}
