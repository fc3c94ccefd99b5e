package io.tensorlink.p2p.noise;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.tensorlink.p2p.util.MalformedInputException;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * A Noise CipherState: ChaCha20-Poly1305 with key k and a 64-bit nonce n, encoded into the 96-bit
 * IV as 4 zero bytes then n little-endian. One instance per direction; not thread-safe.
 */
public final class NoiseCipherState {
  public static final int TAG_LENGTH = 16;

  /**
   * {@code -Dtensorlink.noise.aead=jdk} forces the JDK's combined ChaCha20-Poly1305 for transport
   * frames (the default is {@link SplitChaChaPoly}, the same function, faster without AVX-512 IFMA).
   */
  private static final boolean JDK_AEAD = "jdk".equals(System.getProperty("tensorlink.noise.aead"));

  private final SecretKeySpec key;
  private final Cipher cipher;
  private final SplitChaChaPoly split;
  private final byte[] iv = new byte[12];
  private long nonce;

  NoiseCipherState(final byte[] key) {
    this.key = new SecretKeySpec(key, "ChaCha20");
    try {
      this.cipher = Cipher.getInstance("ChaCha20-Poly1305");
    } catch (final GeneralSecurityException e) {
      throw new IllegalStateException("the JDK lacks ChaCha20-Poly1305", e);
    }
    this.split = JDK_AEAD ? null : new SplitChaChaPoly(this.key);
  }

  private byte[] nextIv() {
    if (nonce == -1L) {
      throw new IllegalStateException("Noise nonce exhausted; the connection must be rekeyed or closed");
    }
    long n = nonce++;
    for (int i = 4; i < 12; i++) {
      iv[i] = (byte) n;
      n >>>= 8;
    }
    return iv;
  }

  private void init(final int mode) throws GeneralSecurityException {
    cipher.init(mode, key, new IvParameterSpec(nextIv()));
  }

  byte[] encryptWithAd(final byte[] ad, final byte[] plaintext) {
    try {
      init(Cipher.ENCRYPT_MODE);
      cipher.updateAAD(ad);
      return cipher.doFinal(plaintext);
    } catch (final GeneralSecurityException e) {
      throw new IllegalStateException("ChaCha20-Poly1305 encryption failed", e);
    }
  }

  byte[] decryptWithAd(final byte[] ad, final byte[] ciphertext) {
    if (ciphertext.length < TAG_LENGTH) {
      throw new MalformedInputException("noise ciphertext shorter than its 16-byte tag");
    }
    try {
      init(Cipher.DECRYPT_MODE);
      cipher.updateAAD(ad);
      return cipher.doFinal(ciphertext);
    } catch (final AEADBadTagException e) {
      throw new MalformedInputException("noise message failed authentication", e);
    } catch (final GeneralSecurityException e) {
      throw new IllegalStateException("ChaCha20-Poly1305 decryption failed", e);
    }
  }

  /**
   * Encrypts {@code length} readable bytes of {@code src} (advancing its reader index) and writes
   * ciphertext plus tag to {@code out}, which must have {@code length + 16} writable bytes. The
   * source may be composite: each component is fed to the cipher in turn, with no staging copy.
   */
  public void encrypt(final ByteBuf src, final int length, final ByteBuf out) {
    final int outIndex = out.writerIndex();
    try {
      if (split != null) {
        split.encrypt(nextIv(), src, length, out);
        src.skipBytes(length);
        out.writerIndex(outIndex + length + TAG_LENGTH);
        return;
      }
      final ByteBuffer dst = out.nioBuffer(outIndex, length + TAG_LENGTH);
      init(Cipher.ENCRYPT_MODE);
      for (final ByteBuffer part : src.nioBuffers(src.readerIndex(), length)) {
        cipher.update(part, dst);
      }
      cipher.doFinal(ByteBuffer.allocate(0), dst);
    } catch (final GeneralSecurityException e) {
      throw new IllegalStateException("ChaCha20-Poly1305 encryption failed", e);
    }
    src.skipBytes(length);
    out.writerIndex(outIndex + length + TAG_LENGTH);
  }

  /**
   * Decrypts the {@code length} bytes (ciphertext plus tag) at {@code index} of {@code src}, which
   * may be composite, into a new heap buffer from {@code alloc} holding the plaintext ({@code length
   * - 16} readable bytes); the caller owns it. {@code src} is left as it was.
   *
   * @throws MalformedInputException when authentication fails
   */
  public ByteBuf decrypt(final ByteBufAllocator alloc, final ByteBuf src, final int index, final int length) {
    if (length < TAG_LENGTH) {
      throw new MalformedInputException("noise frame of " + length + " bytes is shorter than its tag");
    }
    final ByteBuf plain = alloc.heapBuffer(length);
    try {
      final byte[] array = plain.array();
      final int offset = plain.arrayOffset();
      if (split != null) {
        split.decrypt(nextIv(), src, index, length, array, offset);
      } else {
        src.getBytes(index, array, offset, length);
        init(Cipher.DECRYPT_MODE);
        cipher.doFinal(array, offset, length, array, offset);
      }
      return plain.writerIndex(length - TAG_LENGTH);
    } catch (final AEADBadTagException e) {
      plain.release();
      throw new MalformedInputException("noise frame failed authentication", e);
    } catch (final GeneralSecurityException e) {
      plain.release();
      throw new IllegalStateException("ChaCha20-Poly1305 decryption failed", e);
    } catch (final RuntimeException e) {
      plain.release();
      throw e;
    }
  }
}
