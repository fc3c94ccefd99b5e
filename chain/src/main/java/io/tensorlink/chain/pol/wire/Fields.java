package io.tensorlink.chain.pol.wire;

import io.tensorlink.chain.pol.EthAddress;
import io.tensorlink.chain.pol.Signature;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;
import org.apache.tuweni.rlp.RLPReader;

/**
 * Reads the items of one RLP list strictly: each read names the field, integers must be minimal
 * (no leading zero byte) and within their type, fixed-size values must have exactly their size.
 */
public final class Fields {
  private final RLPReader reader;
  private final String what;

  Fields(final RLPReader reader, final String what) {
    this.reader = reader;
    this.what = what;
  }

  private WireException error(final String field, final String problem) {
    return new WireException(what + "." + field + ": " + problem);
  }

  private Bytes value(final String field) {
    if (reader.isComplete()) {
      throw error(field, "missing (the list ended early)");
    }
    if (reader.nextIsList()) {
      throw error(field, "expected a value, got a list");
    }
    return reader.readValue(false);
  }

  public Bytes32 bytes32(final String field) {
    final Bytes v = value(field);
    if (v.size() != 32) {
      throw error(field, "expected 32 bytes, got " + v.size());
    }
    return Bytes32.wrap(v.toArray());
  }

  public EthAddress address(final String field) {
    final Bytes v = value(field);
    if (v.size() != EthAddress.LENGTH) {
      throw error(field, "expected a 20-byte address, got " + v.size() + " bytes");
    }
    return new EthAddress(v.copy());
  }

  public Signature signature(final String field) {
    final Bytes v = value(field);
    try {
      return new Signature(v.copy());
    } catch (IllegalArgumentException e) {
      throw error(field, e.getMessage());
    }
  }

  public Bytes bytes(final String field, final int maxLength) {
    final Bytes v = value(field);
    if (v.size() > maxLength) {
      throw error(field, v.size() + " bytes, more than the limit of " + maxLength);
    }
    return v.copy();
  }

  /** An unsigned integer of at most {@code bits} bits, minimally encoded. */
  public BigInteger uint(final String field, final int bits) {
    final Bytes v = value(field);
    if (v.size() > 0 && v.get(0) == 0) {
      throw error(field, "integer has a leading zero byte (not minimal)");
    }
    if (v.size() * 8 > bits + 7 || (v.size() > 0 && v.toUnsignedBigInteger().bitLength() > bits)) {
      throw error(field, "integer wider than " + bits + " bits");
    }
    return v.toUnsignedBigInteger();
  }

  /** A uint64 carried in a Java long (its bits; values above 2^63 come back negative). */
  public long uint64(final String field) {
    return uint(field, 64).longValue();
  }

  /** A non-negative integer that fits in an int. */
  public int uint31(final String field) {
    return uint(field, 31).intValueExact();
  }

  public long uint63(final String field) {
    return uint(field, 63).longValueExact();
  }

  /** A nested list of at most {@code max} items, each read by {@code item}. */
  public <T> List<T> list(final String field, final int max, final Function<Fields, T> item) {
    if (reader.isComplete()) {
      throw error(field, "missing (the list ended early)");
    }
    if (!reader.nextIsList()) {
      throw error(field, "expected a list, got a value");
    }
    return reader.readList(false, r -> {
      final List<T> out = new ArrayList<>();
      while (!r.isComplete()) {
        if (out.size() == max) {
          throw error(field, "more than " + max + " items");
        }
        out.add(item.apply(new Fields(r, what + "." + field + "[" + out.size() + "]")));
      }
      return out;
    });
  }

  /** A nested list read as one structure by {@code body}, which must consume it all. */
  public <T> T struct(final String field, final Function<Fields, T> body) {
    if (reader.isComplete() || !reader.nextIsList()) {
      throw error(field, "expected a list");
    }
    return reader.readList(false, r -> {
      final Fields f = new Fields(r, what + "." + field);
      final T t = body.apply(f);
      f.end();
      return t;
    });
  }

  void end() {
    if (!reader.isComplete()) {
      throw new WireException(what + ": unexpected extra items after the last field");
    }
  }
}
