package io.tensorlink.p2p.kad;

import java.util.Arrays;

/**
 * A value record ({@code Record{key=1, value=2, timeReceived=5}}); the arrays are copied in and out.
 *
 * @param timeReceived RFC 3339 time set by the receiver, empty on the wire from a sender
 */
public record KadRecord(byte[] key, byte[] value, String timeReceived) {
  public KadRecord {
    key = key.clone();
    value = value.clone();
  }

  @Override
  public byte[] key() {
    return key.clone();
  }

  @Override
  public byte[] value() {
    return value.clone();
  }

  @Override
  public boolean equals(final Object o) {
    return o instanceof KadRecord r
        && Arrays.equals(key, r.key)
        && Arrays.equals(value, r.value)
        && timeReceived.equals(r.timeReceived);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(key) + Arrays.hashCode(value);
  }

  @Override
  public String toString() {
    return "KadRecord[key=" + key.length + " bytes, value=" + value.length + " bytes]";
  }
}
