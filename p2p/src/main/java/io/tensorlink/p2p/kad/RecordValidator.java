package io.tensorlink.p2p.kad;

import java.util.List;

/**
 * Checks the values stored under one key namespace ({@code /<namespace>/…}) and picks the best of
 * several. Implementations are stateless and thread-safe.
 */
public interface RecordValidator {
  /** Throws {@link io.tensorlink.p2p.util.MalformedInputException} naming the defect if invalid. */
  void validate(byte[] key, byte[] value);

  /** Index of the best of {@code values} (all valid); the default keeps the first. */
  default int select(final byte[] key, final List<byte[]> values) {
    return 0;
  }
}
