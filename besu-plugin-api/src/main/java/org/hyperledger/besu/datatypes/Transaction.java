package org.hyperledger.besu.datatypes;

import java.util.Optional;
import org.apache.tuweni.bytes.Bytes;

/** Mirror: the transaction fields the plugin reads. */
public interface Transaction {
  Hash getHash();

  Optional<? extends Address> getTo();

  Bytes getPayload();
}
