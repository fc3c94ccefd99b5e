package io.tensorlink.besu.rules;

import io.tensorlink.besu.anchor.Head;
import io.tensorlink.besu.anchor.Hex;
import io.tensorlink.besu.anchor.SubmitCall;
import io.tensorlink.besu.anchor.ValidatorSet;
import io.tensorlink.chain.pol.PoLHeader;
import io.tensorlink.chain.pol.PolDomain;
import io.tensorlink.chain.pol.Signature;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;
import org.web3j.crypto.Sign;

/**
 * The deterministic checks on a PoLAnchor {@code submit}: pure functions of the call, the job's head
 * and the live validator set, so every node with the same chain gives the same answer.
 *
 * <p>{@link #check} is what the validation rule runs at import, and it only refuses what today's
 * PoLAnchor would refuse in the block that carries the call: the step range, index, parent and
 * stepFrom against the head; each signature a valid low-s ECDSA signature over the EIP-712
 * digest; strictly ascending signers; every signer a live member and no more signatures than
 * members (a signer with contract weight has live stake). The 2/3 stake check is {@link
 * #stakeShare}, used only on the proposer side: PoLAnchor v2 weighs each signer by min(stake at
 * the epoch start, live stake), which depends on the timestamp of the including block and on
 * StakeManager's immutable epoch parameters, neither of which a transaction rule can read; a live
 * stake share could refuse a submission the contract accepts. Nothing here re-executes steps or
 * asks peers.
 */
public final class SubmissionChecks {
  private final PolDomain domain;

  /** @param domain PoLAnchor's EIP-712 domain (name "TensorLink PoLAnchor", version "2") */
  public SubmissionChecks(final PolDomain domain) {
    this.domain = domain;
  }

  /** Empty when the call passes; otherwise the first failed condition. */
  public Optional<String> check(final SubmitCall call, final Head head, final ValidatorSet live) {
    final PoLHeader h = call.header();
    if (Long.compareUnsigned(h.stepTo(), h.stepFrom()) <= 0) {
      return reason("header: empty step range [%s, %s)", Long.toUnsignedString(h.stepFrom()), Long.toUnsignedString(h.stepTo()));
    }
    if (h.index() != head.nextIndex()) {
      return reason("chain: job %s expects block index %d, header has %s", h.jobId(), head.nextIndex(), Long.toUnsignedString(h.index()));
    }
    if (!h.parent().toHexString().equals(head.lastHash())) {
      return reason("chain: job %s's last block is %s, header's parent is %s", h.jobId(), head.lastHash(), h.parent());
    }
    if (h.stepFrom() != head.nextStep()) {
      return reason("chain: job %s continues at step %d, header starts at %s", h.jobId(), head.nextStep(), Long.toUnsignedString(h.stepFrom()));
    }
    if (live.size() == 0) {
      return reason("quorum: the validator set is empty");
    }
    if (call.signatures().size() > live.size()) {
      return reason("quorum: %d signatures for %d validators", call.signatures().size(), live.size());
    }
    final Signers signers = signers(call);
    if (signers.failure().isPresent()) {
      return signers.failure();
    }
    for (String s : signers.addresses()) {
      if (!live.stakes().containsKey(s)) {
        return reason("quorum: signer %s is not in the validator set", s);
      }
    }
    return Optional.empty();
  }

  /**
   * Proposer-side: empty when the signers hold at least 2/3 of the live set's stake. Only for
   * calls that passed {@link #check}.
   */
  public Optional<String> stakeShare(final SubmitCall call, final ValidatorSet live) {
    final Signers signers = signers(call);
    if (signers.failure().isPresent()) {
      return signers.failure();
    }
    final BigInteger signed = signers.addresses().stream().map(a -> live.stakes().getOrDefault(a, BigInteger.ZERO))
        .reduce(BigInteger.ZERO, BigInteger::add);
    final BigInteger total = live.total();
    if (signed.multiply(BigInteger.valueOf(3)).compareTo(total.multiply(BigInteger.TWO)) < 0) {
      return reason("quorum: signers hold %s of %s live stake, below 2/3", signed, total);
    }
    return Optional.empty();
  }

  private record Signers(List<String> addresses, Optional<String> failure) {}

  private Signers signers(final SubmitCall call) {
    final Bytes32 digest = call.header().digest(domain);
    final List<String> out = new ArrayList<>();
    String previous = Hex.of(new byte[20]);
    for (int i = 0; i < call.signatures().size(); i++) {
      final Optional<String> signer = recover(digest, call.signatures().get(i));
      if (signer.isEmpty()) {
        return new Signers(out, reason("quorum: signature %d is not a valid low-s ECDSA signature", i));
      }
      final int order = signer.get().compareTo(previous);
      if (order == 0) {
        return new Signers(out, reason("quorum: signature %d repeats signer %s", i, previous));
      }
      if (order < 0) {
        return new Signers(out, reason("quorum: signature %d's signer %s is not above %s (signers must ascend)", i, signer.get(), previous));
      }
      out.add(signer.get());
      previous = signer.get();
    }
    if (out.isEmpty()) {
      return new Signers(out, reason("quorum: no signatures"));
    }
    return new Signers(out, Optional.empty());
  }

  /**
   * The signer's address, or empty for anything OpenZeppelin's {@code tryRecover} would refuse:
   * {@link Signature} refuses a bad length, v and high s; zero or out-of-range r and s are refused here.
   */
  static Optional<String> recover(final Bytes32 digest, final byte[] sig) {
    if (sig.length == Signature.LENGTH) {
      final BigInteger r = new BigInteger(1, Arrays.copyOfRange(sig, 0, 32));
      final BigInteger s = new BigInteger(1, Arrays.copyOfRange(sig, 32, 64));
      if (r.signum() == 0 || s.signum() == 0 || r.compareTo(Sign.CURVE_PARAMS.getN()) >= 0) {
        return Optional.empty();
      }
    }
    try {
      return Optional.of(new Signature(Bytes.wrap(sig)).recover(digest).value().toHexString());
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  private static Optional<String> reason(final String format, final Object... args) {
    return Optional.of(String.format(java.util.Locale.ROOT, format, args));
  }
}
