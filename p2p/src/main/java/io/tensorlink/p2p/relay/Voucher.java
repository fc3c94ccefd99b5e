package io.tensorlink.p2p.relay;

import com.google.protobuf.CodedInputStream;
import io.tensorlink.p2p.crypto.PrivKey;
import io.tensorlink.p2p.peer.PeerId;
import io.tensorlink.p2p.record.Envelope;
import io.tensorlink.p2p.util.MalformedInputException;
import io.tensorlink.p2p.util.Protobufs;
import java.io.IOException;
import java.util.Arrays;

/**
 * A reservation voucher: {@code Voucher{relay=1, peer=2, expiration=3}} in an {@link Envelope} with
 * domain {@code libp2p-relay-rsvp} and payload type {@code 03 02}, signed by the relay. It proves the
 * relay granted {@code peer} a reservation until {@code expiration} (unix seconds).
 */
public record Voucher(PeerId relay, PeerId peer, long expiration) {
  public static final String DOMAIN = "libp2p-relay-rsvp";
  private static final byte[] PAYLOAD_TYPE = {0x03, 0x02};

  public byte[] seal(final PrivKey relayKey) {
    if (!relay.matches(relayKey.publicKey())) {
      throw new IllegalArgumentException("a voucher is signed by its relay");
    }
    final byte[] payload = Protobufs.encode(out -> {
      out.writeByteArray(1, relay.bytes());
      out.writeByteArray(2, peer.bytes());
      out.writeUInt64(3, expiration);
    });
    return Envelope.seal(relayKey, DOMAIN, PAYLOAD_TYPE, payload).bytes();
  }

  /** Opens a voucher envelope, checking its signature, type and that the relay signed it. */
  public static Voucher open(final byte[] bytes) {
    final Envelope envelope = Envelope.open(bytes, DOMAIN);
    if (!Arrays.equals(envelope.payloadType(), PAYLOAD_TYPE)) {
      throw new MalformedInputException("envelope does not carry a relay voucher (payload type is not 0x0302)");
    }
    byte[] relay = null;
    byte[] peer = null;
    long expiration = 0;
    try {
      final CodedInputStream in = CodedInputStream.newInstance(envelope.payload());
      for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
        switch (tag) {
          case 10 -> relay = in.readByteArray();
          case 18 -> peer = in.readByteArray();
          case 24 -> expiration = in.readUInt64();
          default -> Protobufs.skip(in, tag, "voucher");
        }
      }
    } catch (final IOException e) {
      throw new MalformedInputException("voucher is malformed: " + e.getMessage(), e);
    }
    if (relay == null || peer == null) {
      throw new MalformedInputException("voucher lacks its " + (relay == null ? "relay" : "peer"));
    }
    final Voucher v = new Voucher(PeerId.fromBytes(relay), PeerId.fromBytes(peer), expiration);
    if (!v.relay().matches(envelope.publicKey())) {
      throw new MalformedInputException("voucher for relay " + v.relay() + " is signed by another key");
    }
    return v;
  }
}
