package io.tensorlink.chain.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tensorlink.chain.pol.EthAddress;
import io.tensorlink.chain.pol.NodeBinding;
import io.tensorlink.chain.pol.wire.WireException;
import io.tensorlink.p2p.crypto.KeyType;
import io.tensorlink.p2p.crypto.Keys;
import io.tensorlink.p2p.multiaddr.Multiaddr;
import io.tensorlink.p2p.peer.PeerId;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Announced listen addresses: how a worker finds its neighbours and a validator the workers it asks for inputs. */
class PeerDirectoryTest {
  private final PeerId peer = PeerId.fromPublicKey(Keys.generate(KeyType.ED25519).publicKey());
  private final PeerId other = PeerId.fromPublicKey(Keys.generate(KeyType.ED25519).publicKey());
  private final Multiaddr listen = Multiaddr.parse("/ip4/127.0.0.1/tcp/4101");

  private NodeAnnouncement announcement(final PeerId who, final long issuedAt, final List<Multiaddr> addresses) {
    final NodeBinding binding = NodeBinding.sign(who, issuedAt, StandaloneNodeTest.DOMAIN, StandaloneNodeTest.BOB);
    return new NodeAnnouncement(binding, EnumSet.of(Role.WORKER), addresses);
  }

  @Test
  void theAddressesRoundTripAndAreFoundByAccountAndPeerWithThePeerId() {
    final NodeAnnouncement a = announcement(peer, 10, List.of(listen));
    assertThat(NodeAnnouncement.decode(a.encode())).isEqualTo(a);
    final PeerDirectory directory = new PeerDirectory(StandaloneNodeTest.DOMAIN);
    assertThat(directory.accept(peer, a.encode())).isEqualTo(PeerDirectory.Outcome.ACCEPTED);
    final Multiaddr dialable = listen.withPeerId(peer);
    assertThat(directory.address(EthAddress.of(StandaloneNodeTest.BOB.getAddress()))).contains(dialable);
    assertThat(directory.address(peer)).contains(dialable);
    assertThat(directory.address(EthAddress.of(StandaloneNodeTest.ALICE.getAddress()))).isEmpty();
    assertThat(directory.address(other)).isEmpty();
  }

  @Test
  void anAccountBoundTwiceIsFoundAtItsNewestBinding() {
    final PeerDirectory directory = new PeerDirectory(StandaloneNodeTest.DOMAIN);
    final Multiaddr newer = Multiaddr.parse("/ip4/127.0.0.1/tcp/4102");
    directory.accept(peer, announcement(peer, 10, List.of(listen)).encode());
    directory.accept(other, announcement(other, 20, List.of(newer)).encode());
    assertThat(directory.address(EthAddress.of(StandaloneNodeTest.BOB.getAddress()))).contains(newer.withPeerId(other));
  }

  @Test
  void aNodeWithoutAddressesIsBoundButNotDialable() {
    final PeerDirectory directory = new PeerDirectory(StandaloneNodeTest.DOMAIN);
    assertThat(directory.accept(peer, announcement(peer, 10, List.of()).encode())).isEqualTo(PeerDirectory.Outcome.ACCEPTED);
    assertThat(directory.lookup(peer)).isPresent();
    assertThat(directory.address(peer)).isEmpty();
  }

  @Test
  void tooManyOrUndecodableAddressesAreRefused() {
    assertThatThrownBy(() -> announcement(peer, 10, Collections.nCopies(NodeAnnouncement.MAX_ADDRESSES + 1, listen)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most " + NodeAnnouncement.MAX_ADDRESSES);
    final byte[] wire = announcement(peer, 10, List.of(listen)).encode();
    // Corrupt the address's protocol code (the last bytes are the multiaddr: ip4 code, 4 bytes, tcp code, 2 bytes).
    wire[wire.length - 9] = (byte) 0x7f;
    assertThatThrownBy(() -> NodeAnnouncement.decode(wire)).isInstanceOf(WireException.class)
        .hasMessageContaining("malformed node announcement");
    assertThat(new PeerDirectory(StandaloneNodeTest.DOMAIN).accept(peer, wire)).isEqualTo(PeerDirectory.Outcome.MALFORMED);
  }
}
