package io.tensorlink.p2p.pubsub;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.tensorlink.p2p.pubsub.rpc.Rpc;
import io.tensorlink.p2p.pubsub.rpc.RpcCodec;
import io.tensorlink.p2p.util.MalformedInputException;
import io.tensorlink.p2p.util.Uvarint;
import java.util.function.Consumer;

/**
 * Splits a pubsub stream into RPCs: each is a uvarint length followed by that many bytes of
 * protobuf. A length above {@code maxRpcSize} is refused before anything is buffered. States:
 * reading frames, or failed (terminal: input is discarded).
 *
 * <p>Buffer ownership: {@link #feed} copies what it needs and never keeps the caller's buffer;
 * {@link #close()} releases the internal cumulation and is idempotent. Not thread-safe (one stream's
 * event loop).
 */
final class RpcFrameDecoder implements AutoCloseable {
  private final int maxRpcSize;
  private final Consumer<Rpc> sink;
  private ByteBuf cumulation;
  private String failure;

  RpcFrameDecoder(final ByteBufAllocator alloc, final int maxRpcSize, final Consumer<Rpc> sink) {
    this.maxRpcSize = maxRpcSize;
    this.sink = sink;
    this.cumulation = alloc.heapBuffer();
  }

  /**
   * Consumes {@code data} (not released here) and emits every complete RPC.
   *
   * @return false once the input is malformed; {@link #failure()} then says why, and the caller
   *     should reset the stream
   */
  boolean feed(final ByteBuf data) {
    if (failure != null || cumulation == null) {
      return false;
    }
    cumulation.writeBytes(data);
    try {
      while (true) {
        final int start = cumulation.readerIndex();
        final long length = Uvarint.read(cumulation);
        if (length == Uvarint.INCOMPLETE) {
          break;
        }
        if (length > maxRpcSize) {
          throw new MalformedInputException("RPC of " + length + " bytes exceeds the limit of " + maxRpcSize);
        }
        if (cumulation.readableBytes() < length) {
          cumulation.readerIndex(start);
          break;
        }
        final byte[] frame = new byte[(int) length];
        cumulation.readBytes(frame);
        sink.accept(RpcCodec.decode(frame));
      }
    } catch (final MalformedInputException e) {
      failure = e.getMessage();
      close();
      return false;
    }
    cumulation.discardSomeReadBytes();
    return true;
  }

  String failure() {
    return failure;
  }

  @Override
  public void close() {
    if (cumulation != null) {
      cumulation.release();
      cumulation = null;
    }
  }
}
