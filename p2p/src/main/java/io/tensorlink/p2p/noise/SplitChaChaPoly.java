package io.tensorlink.p2p.noise;

import io.netty.buffer.ByteBuf;
import io.tensorlink.p2p.util.MalformedInputException;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Cipher;
import javax.crypto.spec.ChaCha20ParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * ChaCha20-Poly1305 (RFC 8439) with an empty AAD, built from the JDK's ChaCha20 (an AVX2/AVX-512
 * intrinsic) and our {@link Poly1305}: the JDK's combined cipher runs its Poly1305 in plain Java
 * unless the CPU has AVX-512 IFMA, which made it the bottleneck of every Noise connection.
 * Byte-for-byte identical to the JDK's {@code ChaCha20-Poly1305} (tested). Not thread-safe.
 */
final class SplitChaChaPoly {
  private static final byte[] ZEROS = new byte[64];

  private final SecretKeySpec key;
  private final Cipher chacha;
  private final Poly1305 poly = new Poly1305();
  private final byte[] block = new byte[64];
  private final byte[] tag = new byte[NoiseCipherState.TAG_LENGTH];
  private final byte[] receivedTag = new byte[NoiseCipherState.TAG_LENGTH];
  /**
   * One frame's worth of working space for encryption. The JDK's ChaCha20 runs at full speed only
   * on byte arrays (on direct buffers it falls back to small temporary chunks), so heap plaintext is
   * encrypted from its own array into this one, direct plaintext is copied in and encrypted in
   * place, and the frame is copied out once. Decryption works in the caller's heap buffer instead.
   */
  private final byte[] work = new byte[NoiseTransportEncoder.MAX_FRAME];

  SplitChaChaPoly(final SecretKeySpec key) {
    this.key = key;
    try {
      this.chacha = Cipher.getInstance("ChaCha20");
    } catch (final GeneralSecurityException e) {
      throw new IllegalStateException("the JDK lacks ChaCha20", e);
    }
  }

  /** Keys the stream for {@code iv} and derives the one-time Poly1305 key from block 0. */
  private void start(final int mode, final byte[] iv) throws GeneralSecurityException {
    chacha.init(mode, key, new ChaCha20ParameterSpec(iv, 0));
    chacha.update(ZEROS, 0, 64, block, 0);
    poly.init(block);
  }

  void encrypt(final byte[] iv, final ByteBuf src, final int length, final ByteBuf out) throws GeneralSecurityException {
    start(Cipher.ENCRYPT_MODE, iv);
    int done = 0;
    for (final ByteBuffer part : src.nioBuffers(src.readerIndex(), length)) {
      final int n = part.remaining();
      if (part.hasArray()) {
        chacha.update(part.array(), part.arrayOffset() + part.position(), n, work, done);
      } else {
        part.get(work, done, n);
        chacha.update(work, done, n, work, done);
      }
      done += n;
    }
    poly.update(work, 0, length);
    poly.updateLengths(0, length);
    poly.finish(work, length);
    out.setBytes(out.writerIndex(), work, 0, length + NoiseCipherState.TAG_LENGTH);
  }

  /**
   * Copies the {@code length} bytes of ciphertext and tag at {@code src[index..]} to {@code dst} at
   * {@code offset}, verifies the tag, then decrypts there; the plaintext is the first {@code length -
   * 16} bytes. Decrypting straight into the caller's array spares the copy back into {@code src}.
   */
  void decrypt(final byte[] iv, final ByteBuf src, final int index, final int length, final byte[] dst, final int offset)
      throws GeneralSecurityException {
    final int n = length - NoiseCipherState.TAG_LENGTH;
    src.getBytes(index, dst, offset, length);
    start(Cipher.DECRYPT_MODE, iv);
    poly.update(dst, offset, n);
    poly.updateLengths(0, n);
    poly.finish(tag, 0);
    System.arraycopy(dst, offset + n, receivedTag, 0, NoiseCipherState.TAG_LENGTH);
    if (!MessageDigest.isEqual(receivedTag, tag)) {
      throw new MalformedInputException("noise frame failed authentication");
    }
    chacha.update(dst, offset, n, dst, offset);
  }
}
