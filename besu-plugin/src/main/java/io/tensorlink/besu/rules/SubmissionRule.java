package io.tensorlink.besu.rules;

import io.tensorlink.besu.anchor.AnchorState;
import io.tensorlink.besu.anchor.MalformedCalldataException;
import io.tensorlink.besu.anchor.SubmitCall;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.hyperledger.besu.datatypes.Transaction;
import org.hyperledger.besu.plugin.services.txvalidator.TransactionValidationRule;

/**
 * Besu validation rule on {@code PoLAnchor.submit} transactions. Besu runs it at pool admission,
 * block building and block import, so it judges only what {@link SubmissionChecks} can judge from
 * the chain alone; every other transaction (other contracts, other PoLAnchor functions) passes.
 *
 * <p>Verdicts are cached by transaction hash together with the {@link AnchorState#version()}
 * they were computed at: a verdict is reused only while the state is unchanged (a submit that
 * failed because its parent was not anchored yet may pass later), except that malformed calldata
 * stays malformed forever.
 */
public final class SubmissionRule implements TransactionValidationRule {
  static final String PREFIX = "TensorLink PoLAnchor.submit rejected: ";
  private static final int CACHE_SIZE = 4096;
  private static final long ALWAYS = -1;

  private final AnchorState state;
  private final SubmissionChecks checks;
  private final Map<String, Cached> cache = new LinkedHashMap<>(256, 0.75f, true) {
    private static final long serialVersionUID = 1L;

    @Override
    protected boolean removeEldestEntry(final Map.Entry<String, Cached> eldest) {
      return size() > CACHE_SIZE;
    }
  };

  public SubmissionRule(final AnchorState state, final SubmissionChecks checks) {
    this.state = state;
    this.checks = checks;
  }

  @Override
  public Optional<String> validate(final Transaction transaction) {
    final Optional<String> to = transaction.getTo().map(String::valueOf);
    if (to.isEmpty() || !to.get().equalsIgnoreCase(state.anchorAddress())) {
      return Optional.empty();
    }
    final byte[] payload = transaction.getPayload().toArray();
    if (!SubmitCall.isSubmit(payload)) {
      return Optional.empty();
    }
    final String key = String.valueOf(transaction.getHash());
    final long version = state.version();
    synchronized (cache) {
      final Cached hit = cache.get(key);
      if (hit != null && (hit.version() == ALWAYS || hit.version() == version)) {
        return hit.verdict();
      }
    }
    final Cached fresh = judge(payload, version);
    synchronized (cache) {
      cache.put(key, fresh);
    }
    return fresh.verdict();
  }

  /** Number of cached verdicts (for tests and metrics). */
  public int cached() {
    synchronized (cache) {
      return cache.size();
    }
  }

  private Cached judge(final byte[] payload, final long version) {
    final SubmitCall call;
    try {
      call = SubmitCall.decode(payload);
    } catch (MalformedCalldataException e) {
      return new Cached(ALWAYS, Optional.of(PREFIX + "calldata: " + e.getMessage()));
    }
    final Optional<String> failure =
        checks.check(call, state.head(call.header().jobId()), state.liveSet());
    return new Cached(version, failure.map(f -> PREFIX + f));
  }

  private record Cached(long version, Optional<String> verdict) {}
}
