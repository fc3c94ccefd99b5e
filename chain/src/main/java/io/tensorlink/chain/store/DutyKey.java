package io.tensorlink.chain.store;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * Key of {@link Column#DUTIES}: a kind byte chosen by the owner (the validator) and an id unique
 * within the kind.
 */
public record DutyKey(byte kind, byte[] id) {
  public DutyKey {
    if (id.length == 0) {
      throw new IllegalArgumentException("a duty id must not be empty");
    }
    id = id.clone();
  }

  @Override
  public byte[] id() {
    return id.clone();
  }

  byte[] bytes() {
    final byte[] out = new byte[1 + id.length];
    out[0] = kind;
    System.arraycopy(id, 0, out, 1, id.length);
    return out;
  }

  static DutyKey decode(final byte[] key) {
    return new DutyKey(key[0], Arrays.copyOfRange(key, 1, key.length));
  }

  @Override
  public boolean equals(final Object o) {
    return o instanceof DutyKey k && k.kind == kind && Arrays.equals(k.id, id);
  }

  @Override
  public int hashCode() {
    return kind * 31 + Arrays.hashCode(id);
  }

  @Override
  public String toString() {
    return "DutyKey[" + (char) kind + ", " + HexFormat.of().formatHex(id) + "]";
  }
}
