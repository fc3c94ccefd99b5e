package io.tensorlink.p2p.noise;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Decrypts Noise transport frames ({@code u16 BE length ‖ ciphertext ‖ tag}) in place and emits the
 * plaintext as retained slices of the read buffer: no copy beyond Netty's cumulation. The 2-byte
 * length caps frames at 65535 bytes, so buffering is bounded by construction.
 */
public final class NoiseTransportDecoder extends ByteToMessageDecoder {
  private final NoiseCipherState cipher;

  public NoiseTransportDecoder(final NoiseCipherState cipher) {
    this.cipher = cipher;
  }

  @Override
  protected void decode(final ChannelHandlerContext ctx, final ByteBuf in, final List<Object> out) {
    while (in.readableBytes() >= 2) {
      final int start = in.readerIndex();
      final int length = in.getUnsignedShort(start);
      if (in.readableBytes() < 2 + length) {
        return;
      }
      final int plaintext = cipher.decryptInPlace(in, start + 2, length);
      if (plaintext > 0) {
        out.add(in.retainedSlice(start + 2, plaintext));
      }
      in.readerIndex(start + 2 + length);
    }
  }
}
