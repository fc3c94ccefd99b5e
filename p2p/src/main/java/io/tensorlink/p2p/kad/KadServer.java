package io.tensorlink.p2p.kad;

import io.tensorlink.p2p.host.DelimitedReader;
import io.tensorlink.p2p.host.Stream;
import io.tensorlink.p2p.host.StreamHandler;
import io.tensorlink.p2p.peer.PeerId;
import io.tensorlink.p2p.util.MalformedInputException;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Answers inbound {@code /ipfs/kad/1.0.0} requests, any number per stream, each on the stream's
 * event loop. A request that breaks a rule (an invalid record, a record whose key differs from the
 * message's, a missing key) resets the stream with a logged reason, like a malformed frame.
 */
final class KadServer implements StreamHandler {
  private final PeerId self;
  private final RoutingTable table;
  private final AddressBook addresses;
  private final KadStore store;
  private final Validators validators;
  private final Function<PeerId, KadPeer> describe;
  private final Clock clock;

  /**
   * @param describe a peer with the addresses we know for it (our own listen addresses for us)
   */
  KadServer(
      final PeerId self,
      final RoutingTable table,
      final AddressBook addresses,
      final KadStore store,
      final Validators validators,
      final Function<PeerId, KadPeer> describe,
      final Clock clock) {
    this.self = self;
    this.table = table;
    this.addresses = addresses;
    this.store = store;
    this.validators = validators;
    this.describe = describe;
    this.clock = clock;
  }

  @Override
  public void handle(final Stream stream) {
    stream.setListener(
        new DelimitedReader(
            "kad",
            KadCodec.MAX_MESSAGE,
            new DelimitedReader.Handler() {
              @Override
              public void onMessage(final Stream s, final byte[] message) {
                answer(s.remotePeer(), KadCodec.decode(message)).ifPresent(r -> write(s, r));
              }

              @Override
              public void onRemoteClosed(final Stream s) {
                s.closeWrite();
              }
            }));
  }

  /** The response to one request from {@code from}, if its type has one. */
  Optional<KadMessage> answer(final PeerId from, final KadMessage request) {
    final byte[] key = request.key();
    if (key.length == 0 && request.type() != KadMessage.Type.PING) {
      throw new MalformedInputException("kad " + request.type() + " request without a key");
    }
    return switch (request.type()) {
      case FIND_NODE -> Optional.of(reply(request, Optional.empty(), closer(key, from), List.of()));
      case GET_VALUE -> Optional.of(reply(request, store.record(key), closer(key, from), List.of()));
      case PUT_VALUE -> Optional.of(putValue(key, request));
      case GET_PROVIDERS -> Optional.of(reply(request, Optional.empty(), closer(key, from), providers(key)));
      case ADD_PROVIDER -> {
        addProvider(from, key, request.providerPeers());
        yield Optional.empty();
      }
      case PING -> Optional.of(request);
    };
  }

  private KadMessage putValue(final byte[] key, final KadMessage request) {
    final KadRecord record =
        request.record().orElseThrow(() -> new MalformedInputException("kad PUT_VALUE without a record"));
    if (!java.util.Arrays.equals(record.key(), key)) {
      throw new MalformedInputException("kad PUT_VALUE record key differs from the message key");
    }
    validators.validate(key, record.value());
    final Optional<KadRecord> existing = store.record(key);
    final boolean keepOld =
        existing.isPresent() && validators.select(key, List.of(existing.get().value(), record.value())) == 0;
    if (!keepOld) {
      store.putRecord(new KadRecord(key, record.value(), DateTimeFormatter.ISO_INSTANT.format(clock.instant())));
    }
    return request;
  }

  /** Only the sender may announce itself as a provider (anything else would let it frame others). */
  private void addProvider(final PeerId from, final byte[] key, final List<KadPeer> announced) {
    for (final KadPeer p : announced) {
      if (p.id().equals(from)) {
        addresses.add(from, p.addresses());
        store.addProvider(key, from);
      }
    }
  }

  private List<KadPeer> closer(final byte[] key, final PeerId requester) {
    final List<KadPeer> out = new ArrayList<>();
    for (final PeerId p : table.closest(KadKey.of(key), table.bucketSize() + 1)) {
      if (!p.equals(requester) && out.size() < table.bucketSize()) {
        final KadPeer described = describe.apply(p);
        if (!described.addresses().isEmpty()) {
          out.add(described);
        }
      }
    }
    return out;
  }

  private List<KadPeer> providers(final byte[] key) {
    return store.providers(key).stream().map(describe).filter(p -> !p.addresses().isEmpty() || p.id().equals(self)).toList();
  }

  private static KadMessage reply(
      final KadMessage request, final Optional<KadRecord> record, final List<KadPeer> closer, final List<KadPeer> providers) {
    return new KadMessage(request.type(), request.key(), record, closer, providers);
  }

  static void write(final Stream stream, final KadMessage message) {
    DelimitedReader.write(stream, KadCodec.encode(message));
  }
}
