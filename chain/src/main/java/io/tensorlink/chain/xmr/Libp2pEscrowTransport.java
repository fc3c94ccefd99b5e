package io.tensorlink.chain.xmr;

import io.netty.buffer.Unpooled;
import io.tensorlink.monero.escrow.EscrowException;
import io.tensorlink.monero.escrow.EscrowTransport;
import io.tensorlink.monero.escrow.SignedMessage;
import io.tensorlink.p2p.host.Host;
import io.tensorlink.p2p.host.Stream;
import io.tensorlink.p2p.host.StreamCollector;
import io.tensorlink.p2p.multiaddr.Multiaddr;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Escrow requests over {@code /tl/xmr/1.0.0}: dials the account's node (Noise authenticates the peer id,
 * the message signature the account), writes the request, waits for the answer. Blocking: call it from
 * an escrow thread, never from an event loop.
 */
public final class Libp2pEscrowTransport implements EscrowTransport {
  private final Host host;
  private final PeerDirectory directory;
  private final Duration timeout;

  public Libp2pEscrowTransport(final Host host, final PeerDirectory directory, final Duration timeout) {
    this.host = host;
    this.directory = directory;
    this.timeout = timeout;
  }

  @Override
  public SignedMessage request(final String account, final SignedMessage request) {
    final Multiaddr address = directory.addressOf(account).orElseThrow(() -> new EscrowException(
        EscrowException.Reason.UNAVAILABLE, "no known node for account " + account));
    try {
      final Stream stream = host.dial(address)
          .thenCompose(c -> c.newStream(XmrProtocol.ID))
          .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      final StreamCollector collector = new StreamCollector(SignedMessage.MAX_WIRE_BYTES);
      stream.setListener(collector);
      stream.writeAndFlush(Unpooled.wrappedBuffer(request.toWire()));
      stream.closeWrite();
      final byte[] answer = stream.resetUnlessAnswered(collector.result(), timeout).get();
      return SignedMessage.fromWire(answer);
    } catch (final ExecutionException | CompletionException e) {
      final Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new EscrowException(EscrowException.Reason.UNAVAILABLE, "xmr request to " + account + " at " + address
          + " failed: " + cause.getMessage(), cause);
    } catch (final TimeoutException e) {
      throw new EscrowException(EscrowException.Reason.UNAVAILABLE, "no connection to " + account + " at " + address
          + " within " + timeout, e);
    } catch (final InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EscrowException(EscrowException.Reason.UNAVAILABLE, "interrupted", e);
    }
  }
}
