package io.tensorlink.p2p.protocol.autonat;

import io.tensorlink.p2p.host.DelimitedReader;
import io.tensorlink.p2p.host.Host;
import io.tensorlink.p2p.host.Stream;
import io.tensorlink.p2p.multiaddr.Multiaddr;
import io.tensorlink.p2p.peer.PeerId;
import io.tensorlink.p2p.protocol.autonat.AutoNatMessage.DialResponse;
import io.tensorlink.p2p.protocol.autonat.AutoNatMessage.Status;
import io.tensorlink.p2p.util.MalformedInputException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Asks AutoNAT servers (peers we are connected to) to dial us back, and turns their answers into a
 * {@link Reachability}: a node learns whether others can reach the addresses it advertises.
 */
public final class AutoNatClient {
  private final Host host;
  private final AutoNatConfig config;

  public AutoNatClient(final Host host, final AutoNatConfig config) {
    this.host = host;
    this.config = config;
  }

  /** One request to {@code server} to dial us at {@code addresses}. */
  public CompletableFuture<DialResponse> ask(final PeerId server, final List<Multiaddr> addresses) {
    return host.newStream(server, AutoNatServer.PROTOCOL)
        .thenCompose(
            stream -> {
              final CompletableFuture<DialResponse> reply = new CompletableFuture<>();
              stream.setListener(
                  new DelimitedReader(
                      "autonat",
                      AutoNatCodec.MAX_MESSAGE,
                      new DelimitedReader.Handler() {
                        @Override
                        public void onMessage(final Stream s, final byte[] message) {
                          if (!(AutoNatCodec.decode(message) instanceof DialResponse response)) {
                            throw new MalformedInputException("autonat server answered with a DIAL");
                          }
                          reply.complete(response);
                          s.closeWrite();
                        }

                        @Override
                        public void onRemoteClosed(final Stream s) {
                          reply.completeExceptionally(new IllegalStateException(server + " closed without an autonat answer"));
                        }

                        @Override
                        public void onFailure(final Stream s, final String reason) {
                          reply.completeExceptionally(new IllegalStateException(server + ": " + reason));
                        }
                      }));
              AutoNatServer.write(stream, new AutoNatMessage.Dial(host.peerId(), addresses));
              return stream.resetUnlessAnswered(reply, config.requestTimeout());
            });
  }

  /**
   * Asks every server in parallel. PUBLIC needs {@code confirmations} servers that dialled us back;
   * PRIVATE needs as many that tried and failed, and none that succeeded.
   */
  public CompletableFuture<Reachability> probe(final List<PeerId> servers, final List<Multiaddr> addresses, final int confirmations) {
    if (confirmations <= 0) {
      throw new IllegalArgumentException("confirmations must be positive");
    }
    final List<CompletableFuture<Optional<DialResponse>>> answers =
        servers.stream().map(s -> ask(s, addresses).handle((r, e) -> Optional.ofNullable(r))).toList();
    return CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new))
        .thenApply(
            v -> {
              int ok = 0;
              int failed = 0;
              Optional<Multiaddr> reached = Optional.empty();
              for (final CompletableFuture<Optional<DialResponse>> a : answers) {
                final Optional<DialResponse> r = a.join();
                if (r.isPresent() && r.get().status() == Status.OK) {
                  ok++;
                  reached = reached.or(() -> r.get().address());
                } else if (r.isPresent() && r.get().status() == Status.E_DIAL_ERROR) {
                  failed++;
                }
              }
              final Reachability.Status status =
                  ok >= confirmations
                      ? Reachability.Status.PUBLIC
                      : ok == 0 && failed >= confirmations ? Reachability.Status.PRIVATE : Reachability.Status.UNKNOWN;
              return new Reachability(
                  status, ok, failed, servers.size() - ok - failed, status == Reachability.Status.PUBLIC ? reached : Optional.empty());
            });
  }
}
