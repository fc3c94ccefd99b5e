package io.tensorlink.p2p.multistream;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.tensorlink.p2p.util.MalformedInputException;
import io.tensorlink.p2p.util.Uvarint;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * multistream-select 1.0 as an explicit state machine over bytes, independent of where the bytes
 * travel (raw TCP or a yamux stream). Each message is {@code uvarint(len) ‖ utf8 ‖ '\n'} where
 * {@code len} counts the newline.
 *
 * <p>The initiator is "lazy": it sends the header and its first proposal at once, as js-libp2p
 * does. The responder accepts that pipelining: whatever follows the agreed proposal in the same
 * buffer stays unread in the input for the protocol that follows. Not thread-safe; drive it from
 * one event loop.
 */
public final class MultistreamNegotiator {
  public static final String HEADER = "/multistream/1.0.0";
  public static final String NA = "na";
  /** Longest message accepted (protocol ids are short; this bounds buffering). */
  public static final int MAX_MESSAGE = 1024;
  /** A responder gives up after this many refused proposals. */
  public static final int MAX_PROPOSALS = 32;

  /** Outcome of feeding bytes. */
  public sealed interface Outcome {
    /** More bytes are needed. */
    record Pending() implements Outcome {}

    /** Both sides agreed on {@code protocol}. */
    record Agreed(String protocol) implements Outcome {}

    /** The responder refused every proposal (initiator only). */
    record Refused(List<String> proposals) implements Outcome {}
  }

  private enum State {
    AWAIT_HEADER,
    AWAIT_RESPONSE,
    AWAIT_PROPOSAL,
    DONE
  }

  private static final Outcome PENDING = new Outcome.Pending();

  private final boolean initiator;
  private final List<String> proposals;
  private final Predicate<String> supported;
  private State state = State.AWAIT_HEADER;
  private int proposalIndex;
  private int refusedCount;

  private MultistreamNegotiator(
      final boolean initiator, final List<String> proposals, final Predicate<String> supported) {
    this.initiator = initiator;
    this.proposals = List.copyOf(proposals);
    this.supported = supported;
  }

  /** An initiator proposing {@code proposals} in order. */
  public static MultistreamNegotiator initiator(final List<String> proposals) {
    if (proposals.isEmpty()) {
      throw new IllegalArgumentException("at least one protocol must be proposed");
    }
    for (final String p : proposals) {
      checkProtocolId(p);
    }
    return new MultistreamNegotiator(true, proposals, p -> false);
  }

  /** A responder accepting protocols for which {@code supported} is true. */
  public static MultistreamNegotiator responder(final Predicate<String> supported) {
    return new MultistreamNegotiator(false, List.of(), supported);
  }

  /** Bytes to send first: header, plus the first proposal for an initiator. */
  public ByteBuf start(final ByteBufAllocator alloc) {
    final ByteBuf out = alloc.buffer(64);
    writeMessage(out, HEADER);
    if (initiator) {
      writeMessage(out, proposals.get(0));
    }
    return out;
  }

  /**
   * Consumes as many complete messages from {@code in} as the negotiation needs, writing replies to
   * {@code out}. Stops right after agreement, so bytes that follow stay readable in {@code in}.
   *
   * @throws MalformedInputException on a protocol violation (the caller closes the stream)
   */
  public Outcome onData(final ByteBuf in, final ByteBuf out) {
    while (state != State.DONE) {
      final Optional<String> message = readMessage(in);
      if (message.isEmpty()) {
        return PENDING;
      }
      final String msg = message.get();
      switch (state) {
        case AWAIT_HEADER -> {
          if (!msg.equals(HEADER)) {
            throw new MalformedInputException("expected multistream header " + HEADER + ", got '" + msg + "'");
          }
          state = initiator ? State.AWAIT_RESPONSE : State.AWAIT_PROPOSAL;
        }
        case AWAIT_RESPONSE -> {
          final String proposed = proposals.get(proposalIndex);
          if (msg.equals(proposed)) {
            state = State.DONE;
            return new Outcome.Agreed(proposed);
          }
          if (!msg.equals(NA)) {
            throw new MalformedInputException("expected '" + proposed + "' or 'na', got '" + msg + "'");
          }
          proposalIndex++;
          if (proposalIndex == proposals.size()) {
            state = State.DONE;
            return new Outcome.Refused(proposals);
          }
          writeMessage(out, proposals.get(proposalIndex));
        }
        case AWAIT_PROPOSAL -> {
          if (!msg.equals("ls") && supported.test(msg)) {
            writeMessage(out, msg);
            state = State.DONE;
            return new Outcome.Agreed(msg);
          }
          if (++refusedCount > MAX_PROPOSALS) {
            throw new MalformedInputException("peer made more than " + MAX_PROPOSALS + " refused proposals");
          }
          writeMessage(out, NA);
        }
        case DONE -> throw new IllegalStateException("unreachable");
      }
    }
    throw new IllegalStateException("negotiation already finished");
  }

  private static Optional<String> readMessage(final ByteBuf in) {
    final int start = in.readerIndex();
    final long length = Uvarint.read(in);
    if (length == Uvarint.INCOMPLETE) {
      return Optional.empty();
    }
    if (length < 1 || length > MAX_MESSAGE) {
      throw new MalformedInputException("multistream message length " + length + " outside 1.." + MAX_MESSAGE);
    }
    if (in.readableBytes() < length) {
      in.readerIndex(start);
      return Optional.empty();
    }
    final int textLength = (int) length - 1;
    final String text = in.toString(in.readerIndex(), textLength, StandardCharsets.UTF_8);
    in.skipBytes(textLength);
    if (in.readByte() != '\n') {
      throw new MalformedInputException("multistream message does not end with a newline");
    }
    return Optional.of(text);
  }

  public static void writeMessage(final ByteBuf out, final String message) {
    final byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
    Uvarint.write(out, bytes.length + 1L);
    out.writeBytes(bytes);
    out.writeByte('\n');
  }

  private static void checkProtocolId(final String protocol) {
    final int length = protocol.getBytes(StandardCharsets.UTF_8).length + 1;
    if (protocol.isEmpty() || length > MAX_MESSAGE || protocol.indexOf('\n') >= 0) {
      throw new IllegalArgumentException("invalid protocol id '" + protocol + "'");
    }
  }
}
