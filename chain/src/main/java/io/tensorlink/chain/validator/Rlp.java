package io.tensorlink.chain.validator;

import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.rlp.RLP;
import org.apache.tuweni.rlp.RLPException;
import org.apache.tuweni.rlp.RLPReader;
import org.apache.tuweni.rlp.RLPWriter;

/** RLP (tuweni) with one error type for malformed input: {@link MalformedMessageException}. */
public final class Rlp {
  private Rlp() {}

  public static byte[] encodeList(final Consumer<RLPWriter> fields) {
    return RLP.encodeList(fields).toArrayUnsafe();
  }

  /** Decodes one RLP list that must span all of {@code wire}; {@code what} names it in errors. */
  public static <T> T decodeList(final byte[] wire, final String what, final Function<RLPReader, T> fields) {
    try {
      return RLP.decode(Bytes.wrap(wire), reader -> {
        final T value = reader.readList(fields);
        if (!reader.isComplete()) {
          throw new MalformedMessageException(what + " has " + reader.remaining() + " trailing bytes");
        }
        return value;
      });
    } catch (RLPException | IllegalArgumentException | IndexOutOfBoundsException e) {
      throw e instanceof MalformedMessageException m ? m : new MalformedMessageException("malformed " + what + ": " + e.getMessage(), e);
    }
  }

  /** Reads exactly {@code length} bytes or fails naming {@code field}. */
  public static byte[] readFixed(final RLPReader reader, final int length, final String field) {
    final byte[] value = reader.readValue().toArray();
    if (value.length != length) {
      throw new MalformedMessageException(field + " must be " + length + " bytes, got " + value.length);
    }
    return value;
  }
}
