package io.tensorlink.chain.xmr;

import io.netty.buffer.Unpooled;
import io.tensorlink.monero.escrow.EscrowException;
import io.tensorlink.monero.escrow.SignedMessage;
import io.tensorlink.p2p.host.Stream;
import io.tensorlink.p2p.host.StreamCollector;
import io.tensorlink.p2p.host.StreamHandler;
import java.util.Optional;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves {@code /tl/xmr/1.0.0}: collects the request, answers it on {@code worker} (escrow steps call
 * wallet-rpc and may take seconds: never on the event loop) and writes the answer.
 */
public final class XmrStreamHandler implements StreamHandler {
  private static final Logger LOG = LoggerFactory.getLogger(XmrStreamHandler.class);

  private final EscrowRouter router;
  private final Executor worker;

  public XmrStreamHandler(final EscrowRouter router, final Executor worker) {
    this.router = router;
    this.worker = worker;
  }

  @Override
  public void handle(final Stream stream) {
    final StreamCollector collector = new StreamCollector(SignedMessage.MAX_WIRE_BYTES);
    stream.setListener(collector);
    collector.result().thenAcceptAsync(bytes -> answer(stream, bytes), worker).exceptionally(e -> {
      LOG.debug("xmr stream from {} failed: {}", stream.remotePeer(), e.getMessage());
      stream.reset();
      return null;
    });
  }

  private void answer(final Stream stream, final byte[] bytes) {
    final Optional<SignedMessage> reply;
    try {
      reply = router.handle(SignedMessage.fromWire(bytes));
    } catch (final EscrowException e) {
      LOG.warn("undecodable xmr request from {}: {}", stream.remotePeer(), e.getMessage());
      stream.reset();
      return;
    }
    if (reply.isEmpty()) {
      LOG.info("xmr request from {} for an escrow this node does not hold", stream.remotePeer());
      stream.reset();
      return;
    }
    stream.writeAndFlush(Unpooled.wrappedBuffer(reply.get().toWire()));
    stream.close();
  }
}
