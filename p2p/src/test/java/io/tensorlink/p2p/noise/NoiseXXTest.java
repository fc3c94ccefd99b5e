package io.tensorlink.p2p.noise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.tensorlink.p2p.crypto.KeyType;
import io.tensorlink.p2p.crypto.Keys;
import io.tensorlink.p2p.crypto.PrivKey;
import io.tensorlink.p2p.peer.PeerId;
import io.tensorlink.p2p.util.MalformedInputException;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class NoiseXXTest {
  private final PrivKey alice = Keys.generate(KeyType.ED25519);
  private final PrivKey bob = Keys.generate(KeyType.SECP256K1);

  private static NoiseCipherState[][] handshake(final NoiseXX i, final NoiseXX r) {
    final byte[] m1 = i.writeMessage();
    assertThat(m1).hasSize(32); // e, empty payload
    r.readMessage(m1);
    i.readMessage(r.writeMessage());
    r.readMessage(i.writeMessage());
    assertThat(i.isComplete()).isTrue();
    assertThat(r.isComplete()).isTrue();
    return new NoiseCipherState[][] {i.split(), r.split()};
  }

  @Test
  void shouldAuthenticateBothIdentitiesAndAgreeOnKeys() {
    final NoiseXX i = NoiseXX.initiator(alice, Optional.of(PeerId.fromPublicKey(bob.publicKey())));
    final NoiseXX r = NoiseXX.responder(bob);
    final NoiseCipherState[][] keys = handshake(i, r);
    assertThat(i.remotePeer()).isEqualTo(PeerId.fromPublicKey(bob.publicKey()));
    assertThat(r.remotePeer()).isEqualTo(PeerId.fromPublicKey(alice.publicKey()));
    for (int n = 0; n < 3; n++) {
      final ByteBuf frame = Unpooled.buffer();
      keys[0][0].encrypt(Unpooled.wrappedBuffer(new byte[] {1, 2, (byte) n}), 3, frame);
      final ByteBuf plain = keys[1][1].decrypt(ByteBufAllocator.DEFAULT, frame, 0, frame.readableBytes());
      assertThat(ByteBufUtil.getBytes(plain)).containsExactly(1, 2, n);
      plain.release();
    }
    final ByteBuf back = Unpooled.buffer();
    keys[1][0].encrypt(Unpooled.wrappedBuffer(new byte[] {9}), 1, back);
    final ByteBuf plain = keys[0][1].decrypt(ByteBufAllocator.DEFAULT, back, 0, back.readableBytes());
    assertThat(ByteBufUtil.getBytes(plain)).containsExactly(9);
    plain.release();
  }

  @Test
  void shouldRejectAnUnexpectedPeer() {
    final PeerId someoneElse = PeerId.fromPublicKey(Keys.generate(KeyType.ED25519).publicKey());
    final NoiseXX i = NoiseXX.initiator(alice, Optional.of(someoneElse));
    final NoiseXX r = NoiseXX.responder(bob);
    r.readMessage(i.writeMessage());
    final byte[] m2 = r.writeMessage();
    assertThatThrownBy(() -> i.readMessage(m2)).isInstanceOf(MalformedInputException.class).hasMessageContaining("expected peer");
  }

  @Test
  void shouldRejectTamperingAndReplays() {
    final NoiseXX i = NoiseXX.initiator(alice, Optional.empty());
    final NoiseXX r = NoiseXX.responder(bob);
    r.readMessage(i.writeMessage());
    final byte[] m2 = r.writeMessage();
    m2[m2.length - 1] ^= 1;
    assertThatThrownBy(() -> i.readMessage(m2)).hasMessageContaining("authentication");

    final NoiseCipherState[][] keys = handshake(NoiseXX.initiator(alice, Optional.empty()), NoiseXX.responder(bob));
    final ByteBuf frame = Unpooled.buffer();
    keys[0][0].encrypt(Unpooled.wrappedBuffer(new byte[10]), 10, frame);
    final ByteBuf copy = frame.copy();
    keys[1][1].decrypt(ByteBufAllocator.DEFAULT, frame, 0, frame.readableBytes()).release();
    // The same ciphertext again must fail: the receiver's nonce has moved on.
    assertThatThrownBy(() -> keys[1][1].decrypt(ByteBufAllocator.DEFAULT, copy, 0, copy.readableBytes()))
        .hasMessageContaining("authentication");
  }

  @Test
  void shouldRejectShortHandshakeMessages() {
    final NoiseXX r = NoiseXX.responder(bob);
    assertThatThrownBy(() -> r.readMessage(new byte[31])).hasMessageContaining("needs at least 32");
  }
}
