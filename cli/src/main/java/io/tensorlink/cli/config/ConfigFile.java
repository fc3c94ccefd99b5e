package io.tensorlink.cli.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Edits {@code config.properties} line by line, so comments and the order of other keys survive:
 * {@code set} replaces the key's line (or appends one), {@code unset} removes it. Values are checked
 * with the key's parser before anything is written; writes are atomic.
 */
public final class ConfigFile {
  private final Path file;

  public ConfigFile(final Path file) {
    this.file = file;
  }

  public Path path() {
    return file;
  }

  /** Checks and writes {@code name=value}. */
  public void set(final String name, final String value) {
    final ConfigKey<?> key = known(name);
    try {
      key.parser().apply(value);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(name + ": bad value '" + value + "': " + e.getMessage());
    }
    if (value.contains("\n") || value.contains("\r")) {
      throw new ConfigException(name + ": a value is one line");
    }
    final List<String> lines = new ArrayList<>();
    boolean replaced = false;
    for (final String line : read()) {
      if (isLineOf(line, name)) {
        if (!replaced) {
          lines.add(name + "=" + value);
          replaced = true;
        }
      } else {
        lines.add(line);
      }
    }
    if (!replaced) {
      lines.add(name + "=" + value);
    }
    write(lines);
  }

  /** Removes the key's line; returns whether there was one. */
  public boolean unset(final String name) {
    known(name);
    final List<String> before = read();
    final List<String> after = before.stream().filter(l -> !isLineOf(l, name)).toList();
    if (after.size() == before.size()) {
      return false;
    }
    write(after);
    return true;
  }

  static ConfigKey<?> known(final String name) {
    return ConfigKeys.byName(name).orElseThrow(() ->
        new ConfigException("unknown setting '" + name + "' (known keys: " + ConfigKeys.names() + ")"));
  }

  private static boolean isLineOf(final String line, final String name) {
    final String t = line.strip();
    return t.startsWith(name) && t.substring(name.length()).stripLeading().matches("[=:].*");
  }

  private List<String> read() {
    try {
      return Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.of();
    } catch (IOException e) {
      throw new ConfigException(file + ": cannot read config file: " + e.getMessage());
    }
  }

  private void write(final List<String> lines) {
    try {
      Files.createDirectories(file.getParent());
      final Path tmp = Files.createTempFile(file.getParent(), "config", ".tmp");
      Files.write(tmp, lines, StandardCharsets.UTF_8);
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new ConfigException(file + ": cannot write config file: " + e.getMessage());
    }
  }
}
