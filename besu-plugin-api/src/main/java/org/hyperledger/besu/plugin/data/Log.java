package org.hyperledger.besu.plugin.data;

import java.util.List;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;
import org.hyperledger.besu.datatypes.Address;

/** Mirror: one log of a receipt. */
public interface Log {
  Address getLogger();

  List<? extends Bytes32> getTopics();

  Bytes getData();
}
