package io.tensorlink.p2p.kad;

import io.tensorlink.p2p.util.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Routes a record key to the {@link RecordValidator} of its namespace: the first path segment of a
 * key {@code /<namespace>/<rest>}. A key in a namespace without a validator is refused, as in go
 * and js, so nobody can store arbitrary data in our nodes. {@code /pk/} is always present.
 */
public final class Validators {
  private final Map<String, RecordValidator> byNamespace;

  public Validators(final Map<String, RecordValidator> extra) {
    final Map<String, RecordValidator> all = new HashMap<>(extra);
    all.putIfAbsent(PublicKeyValidator.NAMESPACE, new PublicKeyValidator());
    this.byNamespace = Map.copyOf(all);
  }

  public void validate(final byte[] key, final byte[] value) {
    validator(key).validate(key, value);
  }

  public int select(final byte[] key, final List<byte[]> values) {
    final int best = validator(key).select(key, values);
    if (best < 0 || best >= values.size()) {
      throw new IllegalStateException("validator selected " + best + " of " + values.size() + " values");
    }
    return best;
  }

  private RecordValidator validator(final byte[] key) {
    final String namespace = namespace(key);
    final RecordValidator v = byNamespace.get(namespace);
    if (v == null) {
      throw new MalformedInputException("no validator for record namespace '" + namespace + "'");
    }
    return v;
  }

  static String namespace(final byte[] key) {
    if (key.length < 3 || key[0] != '/') {
      throw new MalformedInputException("record key does not start with /<namespace>/");
    }
    for (int i = 1; i < key.length; i++) {
      if (key[i] == '/') {
        if (i == 1) {
          break;
        }
        return new String(key, 1, i - 1, StandardCharsets.UTF_8);
      }
    }
    throw new MalformedInputException("record key does not start with /<namespace>/");
  }
}
