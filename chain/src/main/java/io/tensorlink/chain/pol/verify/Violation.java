package io.tensorlink.chain.pol.verify;

import io.tensorlink.chain.pol.work.RecordKey;
import java.util.Optional;
import org.apache.tuweni.bytes.Bytes32;

/**
 * One failed check.
 *
 * @param leaf the record blamed (empty for a missing record)
 * @param at its grid position
 */
public record Violation(Reason reason, Optional<Bytes32> leaf, RecordKey at, String message) {
  @Override
  public String toString() {
    return reason + " at " + at + ": " + message;
  }
}
