package io.tensorlink.p2p.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.tensorlink.p2p.crypto.KeyType;
import io.tensorlink.p2p.crypto.Keys;
import io.tensorlink.p2p.multistream.MultistreamNegotiator;
import io.tensorlink.p2p.noise.NoiseCipherState;
import io.tensorlink.p2p.noise.NoiseXX;
import io.tensorlink.p2p.peer.PeerId;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.Optional;

/**
 * A hand-driven peer on a blocking socket: it speaks as much of the protocol as a test wants
 * (multistream, Noise, yamux negotiation) and then misbehaves.
 */
final class RawPeer implements AutoCloseable {
  private final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;
  private NoiseCipherState sender;
  private NoiseCipherState receiver;

  RawPeer(final InetSocketAddress address) throws IOException {
    socket = new Socket(address.getAddress(), address.getPort());
    socket.setSoTimeout(5000);
    in = new DataInputStream(socket.getInputStream());
    out = socket.getOutputStream();
  }

  void send(final byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
  }

  static byte[] multistream(final String... messages) {
    final ByteBuf b = Unpooled.buffer();
    for (final String m : messages) {
      MultistreamNegotiator.writeMessage(b, m);
    }
    final byte[] out = new byte[b.readableBytes()];
    b.readBytes(out);
    return out;
  }

  /** Negotiates /noise and completes the XX handshake as initiator. */
  PeerId secure(final PeerId expected) throws IOException {
    send(multistream(MultistreamNegotiator.HEADER, "/noise"));
    readMultistream(in, 2);
    final NoiseXX hs = NoiseXX.initiator(Keys.generate(KeyType.ED25519), Optional.of(expected));
    writeFrame(hs.writeMessage());
    hs.readMessage(readFrame());
    writeFrame(hs.writeMessage());
    final NoiseCipherState[] ciphers = hs.split();
    sender = ciphers[0];
    receiver = ciphers[1];
    return hs.remotePeer();
  }

  /** Sends {@code plaintext} as one encrypted Noise transport frame. */
  void sendEncrypted(final byte[] plaintext) throws IOException {
    final ByteBuf src = Unpooled.wrappedBuffer(plaintext);
    final ByteBuf frame = Unpooled.buffer(2 + plaintext.length + 16);
    frame.writeShort(plaintext.length + 16);
    sender.encrypt(src, plaintext.length, frame);
    final byte[] bytes = new byte[frame.readableBytes()];
    frame.readBytes(bytes);
    send(bytes);
  }

  /** Reads and decrypts one transport frame. */
  byte[] readEncrypted() throws IOException {
    final byte[] frame = readFrame();
    final ByteBuf plain = receiver.decrypt(UnpooledByteBufAllocator.DEFAULT, Unpooled.wrappedBuffer(frame), 0, frame.length);
    try {
      return ByteBufUtil.getBytes(plain);
    } finally {
      plain.release();
    }
  }

  private void writeFrame(final byte[] message) throws IOException {
    final byte[] frame = new byte[2 + message.length];
    frame[0] = (byte) (message.length >> 8);
    frame[1] = (byte) message.length;
    System.arraycopy(message, 0, frame, 2, message.length);
    send(frame);
  }

  private byte[] readFrame() throws IOException {
    final int length = in.readUnsignedShort();
    final byte[] body = new byte[length];
    in.readFully(body);
    return body;
  }

  private static void readMultistream(final InputStream in, final int messages) throws IOException {
    for (int i = 0; i < messages; i++) {
      final int length = in.read();
      in.readNBytes(length);
    }
  }

  /** Whether the peer closed the connection within {@code millis}, draining anything it sends. */
  boolean closedWithin(final int millis) throws IOException {
    socket.setSoTimeout(millis);
    final byte[] sink = new byte[4096];
    try {
      while (in.read(sink) >= 0) {
        // drain (e.g. a GoAway frame) until EOF
      }
      return true;
    } catch (final SocketTimeoutException e) {
      return false;
    } catch (final SocketException e) {
      return true; // reset by peer
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
