package org.hyperledger.besu.plugin.data;

import java.util.Objects;

/**
 * Mirror: a selector's verdict on a candidate transaction. The plugin uses {@link #SELECTED} and
 * {@link #invalid(String)}; the mirror's {@code toString} carries the reason, as Besu's does.
 */
public class TransactionSelectionResult {
  public static final TransactionSelectionResult SELECTED = new TransactionSelectionResult("SELECTED");

  private final String description;

  private TransactionSelectionResult(final String description) {
    this.description = description;
  }

  public static TransactionSelectionResult invalid(final String invalidReason) {
    return new TransactionSelectionResult("INVALID(" + Objects.requireNonNull(invalidReason) + ")");
  }

  @Override
  public String toString() {
    return description;
  }
}
