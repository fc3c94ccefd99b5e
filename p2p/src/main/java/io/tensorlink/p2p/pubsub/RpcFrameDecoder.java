package io.tensorlink.p2p.pubsub;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.CompositeByteBuf;
import io.tensorlink.p2p.pubsub.rpc.Rpc;
import io.tensorlink.p2p.pubsub.rpc.RpcCodec;
import io.tensorlink.p2p.util.MalformedInputException;
import io.tensorlink.p2p.util.Uvarint;
import java.util.function.Consumer;

/**
 * Splits a pubsub stream into RPCs: each is a uvarint length followed by that many bytes of
 * protobuf. A length above {@code maxRpcSize} is refused before any body is buffered.
 *
 * <p>States: {@link State#LENGTH} (reading the prefix, at most 9 bytes staged), {@link State#BODY}
 * (holding retained slices of the input until the body is complete, then copying it once into
 * the array the decoded RPC aliases), and the terminal {@link State#FAILED} (malformed input; the
 * reason is kept, input is discarded) and {@link State#CLOSED}.
 *
 * <p>Buffer ownership: {@link #feed} retains slices of the caller's buffer but never the buffer
 * itself; {@link #close()} releases them and is idempotent. Not thread-safe (one stream's event
 * loop).
 */
final class RpcFrameDecoder implements AutoCloseable {
  enum State { LENGTH, BODY, FAILED, CLOSED }

  private final ByteBufAllocator alloc;
  private final int maxRpcSize;
  private final Consumer<Rpc> sink;
  private final ByteBuf prefix;
  private State state = State.LENGTH;
  private CompositeByteBuf body;
  private int bodyLength;
  private String failure;

  RpcFrameDecoder(final ByteBufAllocator alloc, final int maxRpcSize, final Consumer<Rpc> sink) {
    this.alloc = alloc;
    this.maxRpcSize = maxRpcSize;
    this.sink = sink;
    this.prefix = alloc.heapBuffer(Uvarint.MAX_BYTES, Uvarint.MAX_BYTES);
  }

  /**
   * Consumes {@code data} (not released here) and emits every complete RPC.
   *
   * @return false once the input is malformed; {@link #failure()} then says why, and the caller
   *     should reset the stream
   */
  boolean feed(final ByteBuf data) {
    try {
      while (data.isReadable() && (state == State.LENGTH || state == State.BODY)) {
        if (state == State.LENGTH) {
          readLength(data);
        } else {
          readBody(data);
        }
      }
    } catch (final MalformedInputException e) {
      failure = e.getMessage();
      release();
      state = State.FAILED;
    }
    return state != State.FAILED && state != State.CLOSED;
  }

  private void readLength(final ByteBuf data) {
    final byte b = data.readByte();
    if (!prefix.isWritable()) {
      throw new MalformedInputException("RPC length varint longer than " + Uvarint.MAX_BYTES + " bytes");
    }
    prefix.writeByte(b);
    if ((b & 0x80) != 0) {
      return;
    }
    final long length = Uvarint.read(prefix);
    prefix.clear();
    if (length > maxRpcSize) {
      throw new MalformedInputException("RPC of " + length + " bytes exceeds the limit of " + maxRpcSize);
    }
    bodyLength = (int) length;
    body = alloc.compositeBuffer(64);
    state = State.BODY;
    if (bodyLength == 0) {
      emit();
    }
  }

  private void readBody(final ByteBuf data) {
    final int n = Math.min(bodyLength - body.readableBytes(), data.readableBytes());
    body.addComponent(true, data.readRetainedSlice(n));
    if (body.readableBytes() == bodyLength) {
      emit();
    }
  }

  private void emit() {
    // The one copy: decoded messages alias this array and outlive the stream's buffers.
    final byte[] bytes = ByteBufUtil.getBytes(body);
    body.release();
    body = null;
    state = State.LENGTH;
    sink.accept(RpcCodec.decode(bytes));
  }

  State state() {
    return state;
  }

  String failure() {
    return failure;
  }

  private void release() {
    if (body != null) {
      body.release();
      body = null;
    }
    if (prefix.refCnt() > 0) {
      prefix.release();
    }
  }

  @Override
  public void close() {
    release();
    if (state != State.FAILED) {
      state = State.CLOSED;
    }
  }
}
