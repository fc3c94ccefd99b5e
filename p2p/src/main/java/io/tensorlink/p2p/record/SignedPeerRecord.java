package io.tensorlink.p2p.record;

import io.tensorlink.p2p.crypto.PrivKey;
import io.tensorlink.p2p.multiaddr.Multiaddr;
import io.tensorlink.p2p.peer.PeerId;
import io.tensorlink.p2p.util.MalformedInputException;
import java.util.Arrays;
import java.util.List;

/**
 * A {@link PeerRecord} inside an {@link Envelope} signed by that peer: domain {@code
 * libp2p-peer-record}, payload type {@code 0x03 0x01} (the multicodec {@code libp2p-peer-record},
 * written as go and js write it). {@link #open} accepts it only if the signature verifies and the
 * signing key is the record's peer, so a peer cannot vouch for addresses of another. Immutable.
 */
public record SignedPeerRecord(PeerRecord record, Envelope envelope) {
  public static final String DOMAIN = "libp2p-peer-record";
  private static final byte[] PAYLOAD_TYPE = {0x03, 0x01};

  public static SignedPeerRecord seal(final PrivKey key, final long seq, final List<Multiaddr> addresses) {
    final PeerRecord record = new PeerRecord(PeerId.fromPublicKey(key.publicKey()), seq, addresses);
    return new SignedPeerRecord(record, Envelope.seal(key, DOMAIN, PAYLOAD_TYPE, record.encode()));
  }

  public static SignedPeerRecord open(final byte[] bytes) {
    final Envelope envelope = Envelope.open(bytes, DOMAIN);
    if (!Arrays.equals(envelope.payloadType(), PAYLOAD_TYPE)) {
      throw new MalformedInputException("envelope does not carry a peer record (payload type is not 0x0301)");
    }
    final PeerRecord record = PeerRecord.decode(envelope.payload());
    if (!record.peerId().matches(envelope.publicKey())) {
      throw new MalformedInputException("peer record of " + record.peerId() + " is signed by another key");
    }
    return new SignedPeerRecord(record, envelope);
  }

  public PeerId peerId() {
    return record.peerId();
  }

  /** The envelope's wire form, to pass on (identify, gossipsub PX). */
  public byte[] bytes() {
    return envelope.bytes();
  }
}
