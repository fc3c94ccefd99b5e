package io.tensorlink.cli.config;

/** A configuration problem; the message names the key, the value and where it came from. */
public final class ConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ConfigException(final String message) {
    super(message);
  }
}
