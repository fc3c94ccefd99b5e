package io.tensorlink.cli.config;

import java.util.Objects;
import java.util.function.Function;

/**
 * One setting: its name in the config file, the environment variable that overrides the file, the
 * default, and how a raw string becomes a value (throwing {@link IllegalArgumentException} with
 * the reason when it cannot).
 *
 * @param <T> the value type
 */
public record ConfigKey<T>(String name, String description, String defaultValue, Function<String, T> parser) {
  public ConfigKey {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(parser, "parser");
  }

  /** {@code rpc.url} → {@code TL_RPC_URL}. */
  public String envVar() {
    return "TL_" + name.toUpperCase(java.util.Locale.ROOT).replace('.', '_').replace('-', '_');
  }
}
