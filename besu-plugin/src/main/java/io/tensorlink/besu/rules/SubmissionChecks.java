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
 * The deterministic part of PoLAnchor's {@code submit} checks: a pure function of the call, the
 * job's head and the validator snapshot, so every node with the same chain gives the same answer.
 * Mirrors the contract's order and conditions (step range, index, parent, stepFrom, then each
 * signature: valid low-s ECDSA, strictly ascending signers, members of the snapshot, and ≥ 2/3 of
 * its stake). Nothing here re-executes steps or asks peers: those verdicts differ between nodes.
 */
public final class SubmissionChecks {
  private final PolDomain domain;

  /** @param domain PoLAnchor's EIP-712 domain (name "TensorLink PoLAnchor", version "2") */
  public SubmissionChecks(final PolDomain domain) {
    this.domain = domain;
  }

  /** Empty when the call passes; otherwise the first failed condition. */
  public Optional<String> check(final SubmitCall call, final Head head, final List<ValidatorSet> snapshots) {
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
    final Bytes32 digest = h.digest(domain);
    final List<String> signers = new ArrayList<>();
    String previous = Hex.of(new byte[20]);
    for (int i = 0; i < call.signatures().size(); i++) {
      final Optional<String> signer = recover(digest, call.signatures().get(i));
      if (signer.isEmpty()) {
        return reason("quorum: signature %d is not a valid low-s ECDSA signature", i);
      }
      final int order = signer.get().compareTo(previous);
      if (order == 0) {
        return reason("quorum: signature %d repeats signer %s", i, previous);
      }
      if (order < 0) {
        return reason("quorum: signature %d's signer %s is not above %s (signers must ascend)", i, signer.get(), previous);
      }
      signers.add(signer.get());
      previous = signer.get();
    }
    String firstFailure = null;
    for (ValidatorSet set : snapshots) {
      final Optional<String> failure = quorum(signers, set);
      if (failure.isEmpty()) {
        return Optional.empty();
      }
      firstFailure = firstFailure == null ? failure.get() : firstFailure;
    }
    return Optional.of(firstFailure == null ? "quorum: no validator snapshot" : firstFailure);
  }

  private static Optional<String> quorum(final List<String> signers, final ValidatorSet set) {
    final String which = set.epoch() < 0 ? "the live validator set" : "epoch " + set.epoch() + "'s snapshot";
    if (set.size() == 0) {
      return reason("quorum: %s holds no validator", which);
    }
    if (signers.size() > set.size()) {
      return reason("quorum: %d signatures for %d validators in %s", signers.size(), set.size(), which);
    }
    BigInteger signed = BigInteger.ZERO;
    for (String s : signers) {
      final BigInteger stake = set.stakes().get(s);
      if (stake == null) {
        return reason("quorum: signer %s is not in %s", s, which);
      }
      signed = signed.add(stake);
    }
    final BigInteger total = set.total();
    if (signed.multiply(BigInteger.valueOf(3)).compareTo(total.multiply(BigInteger.TWO)) < 0) {
      return reason("quorum: signers hold %s of %s stake in %s, below 2/3", signed, total, which);
    }
    return Optional.empty();
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
