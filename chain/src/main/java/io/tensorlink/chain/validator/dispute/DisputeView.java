package io.tensorlink.chain.validator.dispute;

import java.math.BigInteger;
import java.util.List;
import java.util.Objects;

/**
 * A dispute as the court holds it, read together with the chain's latest block.
 *
 * @param id the dispute id
 * @param status where it stands
 * @param challenger who opened it (lowercase 0x-hex)
 * @param drawBlock the chain block whose hash draws the committee
 * @param votingEndsAt when voting closes (unix seconds; 0 before the draw)
 * @param committee the drawn members, lowercase 0x-hex, by seat (empty before the draw)
 * @param voteMask bit {@code i} set when seat {@code i} voted
 * @param fraudVotes votes for fraud
 * @param validVotes votes for valid
 * @param head the latest chain block number when this was read
 * @param chainTime that block's timestamp (unix seconds)
 */
public record DisputeView(BigInteger id, DisputeStatus status, String challenger, long drawBlock, long votingEndsAt,
    List<String> committee, long voteMask, int fraudVotes, int validVotes, long head, long chainTime) {
  /** Blocks after the draw block during which {@code draw} can still read its hash ({@code DRAW_WINDOW}). */
  public static final long DRAW_WINDOW = 256;

  public DisputeView {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(status, "status");
    committee = committee.stream().map(a -> a.toLowerCase(java.util.Locale.ROOT)).toList();
  }

  /** {@code account}'s seat on the committee, or -1. */
  public int seat(final String account) {
    return committee.indexOf(account.toLowerCase(java.util.Locale.ROOT));
  }

  public boolean hasVoted(final String account) {
    final int seat = seat(account);
    return seat >= 0 && (voteMask >>> seat & 1) == 1;
  }

  /** A draw sent now lands in block {@code head + 1}, which must be past the draw block and within its window. */
  public boolean drawable() {
    return status == DisputeStatus.DRAWING && head + 1 > drawBlock && head + 1 - drawBlock <= DRAW_WINDOW;
  }

  /** The draw can no longer happen: {@code resolve} ends the dispute as Expired. */
  public boolean drawExpired() {
    return status == DisputeStatus.DRAWING && head + 1 - drawBlock > DRAW_WINDOW;
  }

  /** {@code resolve} would succeed now: a majority either way, or voting closed. */
  public boolean resolvable() {
    if (drawExpired()) {
      return true;
    }
    if (status != DisputeStatus.VOTING) {
      return false;
    }
    final int size = committee.size();
    return 2 * fraudVotes > size || 2 * validVotes >= size || chainTime >= votingEndsAt;
  }
}
