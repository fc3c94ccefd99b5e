package org.hyperledger.besu.plugin.data;

import java.util.List;
import org.apache.tuweni.bytes.Bytes;

/**
 * Mirror: one log with its position. The plugin reads topics through {@code toString()} (tuweni's
 * hex form), so their element type is left open here.
 */
public interface LogWithMetadata {
  List<?> getTopics();

  Bytes getData();

  int getLogIndex();

  long getBlockNumber();

  boolean isRemoved();
}
