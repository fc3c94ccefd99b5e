package io.tensorlink.chain.pol.verify;

import io.tensorlink.chain.pol.EthAddress;
import io.tensorlink.chain.pol.wire.BulkExchange;
import io.tensorlink.chain.pol.wire.TensorCodec;
import io.tensorlink.chain.pol.wire.VerifyMessages;
import io.tensorlink.chain.pol.wire.VerifyMessages.Request;
import io.tensorlink.chain.pol.wire.VerifyMessages.Response;
import io.tensorlink.chain.pol.work.InputKind;
import io.tensorlink.chain.pol.work.RecordKey;
import io.tensorlink.compute.tensor.NamedTensors;
import io.tensorlink.p2p.host.Host;
import io.tensorlink.p2p.host.Stream;
import io.tensorlink.p2p.multiaddr.Multiaddr;
import io.tensorlink.p2p.protocol.tensor.BulkChannel;
import io.tensorlink.p2p.protocol.tensor.BulkLimits;
import io.tensorlink.p2p.protocol.tensor.TensorLinkProtocols;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Function;
import org.apache.tuweni.bytes.Bytes;

/**
 * Fetches record inputs from workers over {@code /tl/verify/1.0.0}: dials the worker (its address
 * from the node bindings, {@code directory}), opens one stream per input, sends the request and
 * reads one response of at most {@code maxBytes}. Any failure (no address, dial, refusal,
 * timeout, oversize, malformed answer) fails the future, which the re-executor turns into
 * {@link Reason#INPUT_UNAVAILABLE}.
 */
public final class P2pInputSource implements InputSource {
  private final Host host;
  private final Function<EthAddress, Optional<Multiaddr>> directory;
  private final int maxBytes;
  private final Duration timeout;
  private final Executor decoder;

  /**
   * @param decoder decodes answers (megabytes of floats) off the connection's event loop
   */
  public P2pInputSource(final Host host, final Function<EthAddress, Optional<Multiaddr>> directory, final int maxBytes,
      final Duration timeout, final Executor decoder) {
    this.host = host;
    this.directory = directory;
    this.maxBytes = maxBytes;
    this.timeout = timeout;
    this.decoder = decoder;
  }

  @Override
  public CompletableFuture<NamedTensors> fetch(final EthAddress worker, final RecordKey key, final InputKind kind) {
    final Optional<Multiaddr> address = directory.apply(worker);
    if (address.isEmpty()) {
      return CompletableFuture.failedFuture(new IllegalStateException("no known address for worker " + worker));
    }
    return host.dial(address.get())
        .thenCompose(c -> c.newStream(TensorLinkProtocols.VERIFY))
        .thenCompose(stream -> stream.resetUnlessAnswered(ask(stream, new Request(key, kind)), timeout))
        .thenApplyAsync(bytes -> TensorCodec.decode(Bytes.wrap(bytes), maxBytes), decoder);
  }

  /** Completes with the answer's payload (undecoded) or fails. */
  private CompletableFuture<byte[]> ask(final Stream stream, final Request request) {
    return BulkExchange.ask(stream, VerifyMessages.encode(request).toArrayUnsafe(),
        new BulkLimits(4096, BulkChannel.CHUNK_SIZE * 4, maxBytes)).thenApply(answer -> {
          final Response response = VerifyMessages.decodeResponse(Bytes.wrap(answer.metadata()));
          if (response.status() != VerifyMessages.OK) {
            throw new IllegalStateException("worker refused: " + response.reason());
          }
          return answer.payload();
        });
  }
}
