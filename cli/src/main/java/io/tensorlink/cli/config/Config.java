package io.tensorlink.cli.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * Resolved settings. Precedence: command-line flag &gt; environment variable ({@code TL_*}) &gt;
 * config file ({@code config.properties} in the data dir) &gt; default. Every value is parsed when
 * the config is built, so a bad value fails fast, naming the key, the value and its source.
 */
public final class Config {
  public static final String FILE_NAME = "config.properties";

  /** A resolved value and where it came from. */
  public record Setting(ConfigKey<?> key, Object value, String raw, ConfigSource source) {}

  private final Map<String, Setting> settings;

  private Config(final Map<String, Setting> settings) {
    this.settings = settings;
  }

  /**
   * Resolves every known key.
   *
   * @param flags values given on the command line, by key name
   * @param env the process environment
   * @param file the config file; a missing file is the same as an empty one
   */
  public static Config resolve(final Map<String, String> flags, final Map<String, String> env, final Path file) {
    final Map<String, String> fromFile = readFile(file);
    // Every value in the file is checked, not only the ones that win: a typo must not lie in wait.
    fromFile.forEach((name, raw) -> parse(ConfigKeys.byName(name).orElseThrow(), raw, ConfigSource.FILE, file.toString()));
    final Map<String, Setting> settings = new LinkedHashMap<>();
    for (ConfigKey<?> key : ConfigKeys.ALL) {
      final Setting setting = pick(key, flags, env, fromFile, file);
      if (setting != null) {
        settings.put(key.name(), setting);
      }
    }
    flags.keySet().forEach(Config::requireKnownFlag);
    return new Config(settings);
  }

  private static Setting pick(
      final ConfigKey<?> key,
      final Map<String, String> flags,
      final Map<String, String> env,
      final Map<String, String> fromFile,
      final Path file) {
    if (flags.get(key.name()) != null) {
      return parse(key, flags.get(key.name()), ConfigSource.FLAG, "flag");
    }
    if (env.get(key.envVar()) != null) {
      return parse(key, env.get(key.envVar()), ConfigSource.ENVIRONMENT, "environment variable " + key.envVar());
    }
    if (fromFile.get(key.name()) != null) {
      return parse(key, fromFile.get(key.name()), ConfigSource.FILE, file.toString());
    }
    if (key.defaultValue() != null) {
      return parse(key, key.defaultValue(), ConfigSource.DEFAULT, "default");
    }
    return null;
  }

  private static Setting parse(final ConfigKey<?> key, final String raw, final ConfigSource source, final String origin) {
    try {
      return new Setting(key, key.parser().apply(raw), raw, source);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(key.name() + ": bad value '" + raw + "' from " + origin + ": " + e.getMessage());
    }
  }

  private static Map<String, String> readFile(final Path file) {
    if (!Files.exists(file)) {
      return Map.of();
    }
    final Properties props = new Properties();
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      props.load(reader);
    } catch (IOException | IllegalArgumentException e) {
      throw new ConfigException(file + ": cannot read config file: " + e.getMessage());
    }
    final Map<String, String> values = new LinkedHashMap<>();
    for (String name : props.stringPropertyNames()) {
      if (ConfigKeys.byName(name).isEmpty()) {
        throw new ConfigException(file + ": unknown key '" + name + "' (known keys: " + ConfigKeys.names() + ")");
      }
      values.put(name, props.getProperty(name));
    }
    return values;
  }

  private static void requireKnownFlag(final String name) {
    if (ConfigKeys.byName(name).isEmpty()) {
      throw new ConfigException("unknown setting '" + name + "' (known keys: " + ConfigKeys.names() + ")");
    }
  }

  /** The value of a key that has a default or was set. */
  public <T> T get(final ConfigKey<T> key) {
    return find(key).orElseThrow(() -> new ConfigException(key.name() + ": not set (set it with its flag, "
        + key.envVar() + " or " + FILE_NAME + ")"));
  }

  @SuppressWarnings("unchecked")
  public <T> Optional<T> find(final ConfigKey<T> key) {
    return Optional.ofNullable(settings.get(key.name())).map(s -> (T) s.value());
  }

  public Optional<Setting> setting(final String name) {
    return Optional.ofNullable(settings.get(name));
  }

  public Map<String, Setting> all() {
    return java.util.Collections.unmodifiableMap(settings);
  }
}
