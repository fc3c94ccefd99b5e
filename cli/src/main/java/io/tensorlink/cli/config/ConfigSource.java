package io.tensorlink.cli.config;

/** Where a setting's value came from, highest precedence first. */
public enum ConfigSource {
  FLAG,
  ENVIRONMENT,
  FILE,
  DEFAULT
}
