package io.tensorlink.chain.pol.verify;

import io.netty.buffer.Unpooled;
import io.tensorlink.chain.pol.wire.BulkExchange;
import io.tensorlink.chain.pol.wire.TensorCodec;
import io.tensorlink.chain.pol.wire.VerifyMessages;
import io.tensorlink.chain.pol.wire.VerifyMessages.Request;
import io.tensorlink.chain.pol.wire.VerifyMessages.Response;
import io.tensorlink.chain.pol.wire.WireException;
import io.tensorlink.chain.pol.work.InputKind;
import io.tensorlink.chain.pol.work.RecordKey;
import io.tensorlink.compute.tensor.NamedTensors;
import io.tensorlink.p2p.host.Host;
import io.tensorlink.p2p.protocol.tensor.BulkChannel;
import io.tensorlink.p2p.protocol.tensor.BulkLimits;
import io.tensorlink.p2p.protocol.tensor.TensorLinkProtocols;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.BiFunction;
import org.apache.tuweni.bytes.Bytes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker side of {@code /tl/verify/1.0.0}: one request per stream, answered with the input
 * from the worker's archive or {@link VerifyMessages#UNAVAILABLE}, then the stream is closed.
 * Encoding runs on {@code executor}, never on the connection's event loop.
 */
public final class VerifyServer {
  private static final Logger LOG = LoggerFactory.getLogger(VerifyServer.class);
  /** A request is a few dozen bytes of metadata and no payload. */
  private static final BulkLimits REQUEST_LIMITS = new BulkLimits(256, 1024, 1024);

  private VerifyServer() {}

  /**
   * Serves {@code lookup} (typically {@code archive::get}) on {@code host}.
   */
  public static void register(final Host host, final BiFunction<RecordKey, InputKind, Optional<NamedTensors>> lookup,
      final Executor executor) {
    BulkExchange.serve(host, TensorLinkProtocols.VERIFY, REQUEST_LIMITS, executor,
        (channel, request) -> answer(channel, request, lookup));
  }

  private static void answer(final BulkChannel channel, final byte[] metadata,
      final BiFunction<RecordKey, InputKind, Optional<NamedTensors>> lookup) {
    final Request request;
    try {
      request = VerifyMessages.decodeRequest(Bytes.wrap(metadata));
    } catch (WireException e) {
      LOG.debug("verify: malformed request: {}", e.getMessage());
      channel.stream().reset();
      return;
    }
    final Optional<NamedTensors> value = lookup.apply(request.key(), request.kind());
    if (value.isEmpty()) {
      channel.send(VerifyMessages.encode(new Response(VerifyMessages.UNAVAILABLE, "no " + request.kind() + " for "
          + request.key())).toArrayUnsafe(), Unpooled.EMPTY_BUFFER);
    } else {
      channel.send(VerifyMessages.encode(new Response(VerifyMessages.OK, "")).toArrayUnsafe(),
          Unpooled.wrappedBuffer(TensorCodec.encode(value.get()).toArrayUnsafe()));
    }
    channel.close();
  }
}
