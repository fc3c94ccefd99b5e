package org.hyperledger.besu.datatypes;

import org.apache.tuweni.bytes.Bytes32;
import org.apache.tuweni.bytes.DelegatingBytes32;

/** Mirror: a 32-byte hash; the plugin reads it through {@code toHexString()}. */
public class Hash extends DelegatingBytes32 {
  protected Hash(final Bytes32 bytes) {
    super(bytes);
  }

  public static Hash wrap(final Bytes32 bytes) {
    return new Hash(bytes);
  }
}
