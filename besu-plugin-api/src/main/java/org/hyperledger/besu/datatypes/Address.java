package org.hyperledger.besu.datatypes;

import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.DelegatingBytes;

/** Mirror: a 20-byte account address. */
public class Address extends DelegatingBytes {
  protected Address(final Bytes bytes) {
    super(bytes);
  }

  public static Address fromHexString(final String str) {
    final Bytes bytes = Bytes.fromHexString(str);
    if (bytes.size() != 20) {
      throw new IllegalArgumentException("an address has 20 bytes, got " + bytes.size());
    }
    return new Address(bytes);
  }
}
