package io.tensorlink.p2p.kad;

import io.tensorlink.p2p.util.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Test validator for {@code /tl/}: values {@code v<version>:<text>}, the highest version wins. */
public final class VersionedValidator implements RecordValidator {
  @Override
  public void validate(final byte[] key, final byte[] value) {
    version(value);
  }

  @Override
  public int select(final byte[] key, final List<byte[]> values) {
    int best = 0;
    for (int i = 1; i < values.size(); i++) {
      if (version(values.get(i)) > version(values.get(best))) {
        best = i;
      }
    }
    return best;
  }

  private static long version(final byte[] value) {
    final String text = new String(value, StandardCharsets.UTF_8);
    if (!text.matches("v\\d{1,9}:.*")) {
      throw new MalformedInputException("tl record value is not v<version>:<text>");
    }
    return Long.parseLong(text.substring(1, text.indexOf(':')));
  }
}
