package io.tensorlink.chain.validator.pol;

import io.tensorlink.chain.pol.EthAddress;
import io.tensorlink.chain.pol.PolDomain;
import io.tensorlink.chain.pol.verify.P2pInputSource;
import io.tensorlink.chain.pol.verify.ReexecutionPool;
import io.tensorlink.chain.pol.verify.VerdictCache;
import io.tensorlink.chain.store.NodeStore;
import io.tensorlink.p2p.host.Host;
import io.tensorlink.p2p.multiaddr.Multiaddr;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.Function;

/**
 * pol-core's side of a validator, wired as a node runs it: {@link SignedRecordInspector},
 * {@link PolBlockFormat} and {@link PolBlockVerifier} fetching inputs from the workers over
 * {@code /tl/verify/1.0.0} ({@link P2pInputSource} on the node's host, worker addresses from the node
 * bindings). Hand its three parts to {@code Validator.builder()}.
 */
public record PolProtocol(SignedRecordInspector inspector, PolBlockFormat format, PolBlockVerifier verifier) {
  /** The largest verify answer accepted (a stage's optimizer state of a mid-size model). */
  public static final int MAX_INPUT_BYTES = 256 << 20;

  /**
   * @param directory a worker's p2p address from its node binding
   * @param fetchTimeout how long one input may take before its record fails
   * @param decoder decodes inputs off the connection's event loop
   */
  public static PolProtocol over(final JobContexts contexts, final PolDomain domain, final int validatorFeeBps,
      final int protocolFeeBps, final NodeStore store, final Host host,
      final Function<EthAddress, Optional<Multiaddr>> directory, final ReexecutionPool pool, final VerdictCache cache,
      final Duration fetchTimeout, final Executor decoder) {
    final PolBlockFormat format = new PolBlockFormat(contexts, validatorFeeBps, protocolFeeBps);
    final P2pInputSource inputs = new P2pInputSource(host, directory, MAX_INPUT_BYTES, fetchTimeout, decoder);
    return new PolProtocol(new SignedRecordInspector(domain), format,
        new PolBlockVerifier(format, store, inputs, pool, cache, fetchTimeout));
  }
}
