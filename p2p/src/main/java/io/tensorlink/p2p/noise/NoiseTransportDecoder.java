package io.tensorlink.p2p.noise;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Decrypts Noise transport frames ({@code u16 BE length ‖ ciphertext ‖ tag}) and emits each
 * plaintext as its own heap buffer. Reads are cumulated as components, not merged, since every frame
 * is copied once anyway, into the heap buffer the cipher works in (the JDK's ChaCha20 is only fast on
 * arrays): one copy per byte instead of merge, copy in and copy back. The 2-byte length caps frames
 * at 65535 bytes, so buffering is bounded by construction.
 */
public final class NoiseTransportDecoder extends ByteToMessageDecoder {
  private final NoiseCipherState cipher;

  public NoiseTransportDecoder(final NoiseCipherState cipher) {
    this.cipher = cipher;
    setCumulator(COMPOSITE_CUMULATOR);
  }

  @Override
  protected void decode(final ChannelHandlerContext ctx, final ByteBuf in, final List<Object> out) {
    while (in.readableBytes() >= 2) {
      final int start = in.readerIndex();
      final int length = in.getUnsignedShort(start);
      if (in.readableBytes() < 2 + length) {
        return;
      }
      final ByteBuf plaintext = cipher.decrypt(ctx.alloc(), in, start + 2, length);
      in.readerIndex(start + 2 + length);
      if (plaintext.isReadable()) {
        out.add(plaintext);
      } else {
        plaintext.release();
      }
    }
  }
}
