package io.tensorlink.p2p.protocol.identify;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import io.tensorlink.p2p.crypto.Keys;
import io.tensorlink.p2p.crypto.PubKey;
import io.tensorlink.p2p.host.IdentifyInfo;
import io.tensorlink.p2p.multiaddr.Multiaddr;
import io.tensorlink.p2p.record.SignedPeerRecord;
import io.tensorlink.p2p.util.MalformedInputException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The identify protobuf: {@code publicKey = 1, listenAddrs = 2 (repeated), protocols = 3
 * (repeated), observedAddr = 4, protocolVersion = 5, agentVersion = 6, signedPeerRecord = 8}.
 * Unparseable listen or observed addresses are dropped (peers may list transports we do not know,
 * such as QUIC), and so is a signed record that does not verify (logged); a structurally broken
 * message is rejected.
 */
public final class IdentifyCodec {
  /** js-libp2p's own limit for identify messages. */
  public static final int MAX_MESSAGE = 8192;

  private static final Logger LOG = LoggerFactory.getLogger(IdentifyCodec.class);

  private IdentifyCodec() {}

  public static byte[] encode(final IdentifyInfo info) {
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    final CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    try {
      if (info.publicKey().isPresent()) {
        out.writeByteArray(1, info.publicKey().get().marshal());
      }
      for (final Multiaddr a : info.listenAddresses()) {
        out.writeByteArray(2, a.bytes());
      }
      for (final String p : info.protocols()) {
        out.writeString(3, p);
      }
      if (info.observedAddress().isPresent()) {
        out.writeByteArray(4, info.observedAddress().get().bytes());
      }
      out.writeString(5, info.protocolVersion());
      out.writeString(6, info.agentVersion());
      if (info.signedPeerRecord().isPresent()) {
        out.writeByteArray(8, info.signedPeerRecord().get().bytes());
      }
      out.flush();
    } catch (final IOException e) {
      throw new IllegalStateException("in-memory protobuf encoding failed", e);
    }
    return bytes.toByteArray();
  }

  public static IdentifyInfo decode(final byte[] bytes) {
    if (bytes.length > MAX_MESSAGE) {
      throw new MalformedInputException("identify message of " + bytes.length + " bytes exceeds " + MAX_MESSAGE);
    }
    Optional<PubKey> key = Optional.empty();
    final List<Multiaddr> listen = new ArrayList<>();
    final List<String> protocols = new ArrayList<>();
    Optional<Multiaddr> observed = Optional.empty();
    String protocolVersion = "";
    String agentVersion = "";
    Optional<SignedPeerRecord> record = Optional.empty();
    try {
      final CodedInputStream in = CodedInputStream.newInstance(bytes);
      for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
        switch (tag) {
          case 10 -> key = Optional.of(Keys.unmarshalPublic(in.readByteArray()));
          case 18 -> parseAddress(in.readByteArray()).ifPresent(listen::add);
          case 26 -> protocols.add(in.readStringRequireUtf8());
          case 34 -> observed = parseAddress(in.readByteArray());
          case 42 -> protocolVersion = in.readStringRequireUtf8();
          case 50 -> agentVersion = in.readStringRequireUtf8();
          case 66 -> record = openRecord(in.readByteArray());
          default -> {
            if (!in.skipField(tag)) {
              throw new MalformedInputException("identify: unexpected end-group tag");
            }
          }
        }
      }
    } catch (final IOException e) {
      throw new MalformedInputException("identify message is malformed: " + e.getMessage(), e);
    }
    return new IdentifyInfo(key, listen, protocols, observed, protocolVersion, agentVersion, record);
  }

  private static Optional<SignedPeerRecord> openRecord(final byte[] bytes) {
    try {
      return Optional.of(SignedPeerRecord.open(bytes));
    } catch (final MalformedInputException e) {
      LOG.warn("identify carried a signed peer record that was dropped: {}", e.getMessage());
      return Optional.empty();
    }
  }

  private static Optional<Multiaddr> parseAddress(final byte[] bytes) {
    try {
      return Optional.of(Multiaddr.fromBytes(bytes));
    } catch (final MalformedInputException e) {
      return Optional.empty();
    }
  }
}
