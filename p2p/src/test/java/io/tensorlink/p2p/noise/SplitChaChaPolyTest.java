package io.tensorlink.p2p.noise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.tensorlink.p2p.util.MalformedInputException;
import java.util.Arrays;
import java.util.Random;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** Our ChaCha20 + Poly1305 must equal the JDK's ChaCha20-Poly1305 byte for byte, both ways. */
class SplitChaChaPolyTest {
  private static byte[] iv(final long n) {
    final byte[] iv = new byte[12];
    for (int i = 0; i < 8; i++) {
      iv[4 + i] = (byte) (n >>> (8 * i));
    }
    return iv;
  }

  private static byte[] jdk(final int mode, final byte[] key, final byte[] iv, final byte[] input) throws Exception {
    final Cipher c = Cipher.getInstance("ChaCha20-Poly1305");
    c.init(mode, new SecretKeySpec(key, "ChaCha20"), new IvParameterSpec(iv));
    return c.doFinal(input);
  }

  @Property(tries = 300)
  void matchesTheJdkAead(
      @ForAll @IntRange(max = 65519) final int length,
      @ForAll final long seed,
      @ForAll final long nonce,
      @ForAll final boolean direct,
      @ForAll @IntRange(min = 1, max = 4) final int parts) throws Exception {
    final Random random = new Random(seed);
    final byte[] key = new byte[32];
    random.nextBytes(key);
    final byte[] plaintext = new byte[length];
    random.nextBytes(plaintext);
    final SecretKeySpec spec = new SecretKeySpec(key, "ChaCha20");

    // Encrypt from a composite source (as the Noise encoder does) into a heap or direct buffer.
    final CompositeByteBuf src = Unpooled.compositeBuffer();
    int off = 0;
    for (int p = 0; p < parts; p++) {
      final int n = p == parts - 1 ? length - off : random.nextInt(length - off + 1);
      src.addComponent(true, Unpooled.wrappedBuffer(plaintext, off, n));
      off += n;
    }
    final ByteBuf out = direct ? ByteBufAllocator.DEFAULT.directBuffer(length + 16) : Unpooled.buffer(length + 16);
    new SplitChaChaPoly(spec).encrypt(iv(nonce), src, length, out);
    out.writerIndex(length + 16); // the caller (NoiseCipherState) advances indices
    final byte[] ours = new byte[out.readableBytes()];
    out.getBytes(0, ours);
    assertThat(ours).isEqualTo(jdk(Cipher.ENCRYPT_MODE, key, iv(nonce), plaintext));

    // And decrypt what the JDK produced, into an array at an offset.
    final byte[] decrypted = new byte[3 + length + 16];
    new SplitChaChaPoly(spec).decrypt(iv(nonce), out, 0, out.readableBytes(), decrypted, 3);
    assertThat(Arrays.copyOfRange(decrypted, 3, 3 + length)).isEqualTo(plaintext);
    out.release();
    src.release();
  }

  @Property(tries = 100)
  void rejectsAnySingleBitFlip(@ForAll @IntRange(min = 1, max = 2000) final int length, @ForAll final long seed) throws Exception {
    final Random random = new Random(seed);
    final byte[] key = new byte[32];
    random.nextBytes(key);
    final byte[] plaintext = new byte[length];
    random.nextBytes(plaintext);
    final byte[] sealed = jdk(Cipher.ENCRYPT_MODE, key, iv(1), plaintext);
    final byte[] tampered = Arrays.copyOf(sealed, sealed.length);
    final int bit = random.nextInt(sealed.length * 8);
    tampered[bit / 8] ^= (byte) (1 << (bit % 8));
    final ByteBuf buf = Unpooled.wrappedBuffer(tampered);
    final byte[] dst = new byte[tampered.length];
    assertThatThrownBy(() -> new SplitChaChaPoly(new SecretKeySpec(key, "ChaCha20")).decrypt(iv(1), buf, 0, tampered.length, dst, 0))
        .isInstanceOf(MalformedInputException.class);
    assertThat(dst).as("nothing decrypted on failure").isEqualTo(tampered);
    assertThat(buf.array()).as("the source is untouched").isEqualTo(tampered);
  }
}
