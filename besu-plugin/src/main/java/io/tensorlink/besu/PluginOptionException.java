package io.tensorlink.besu;

/** A plugin option with a bad or missing value; the message starts with the option's name. */
public final class PluginOptionException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  PluginOptionException(final String option, final String problem) {
    super(PluginOptions.PREFIX + option + ": " + problem);
  }

  PluginOptionException(final String option, final String problem, final Throwable cause) {
    super(PluginOptions.PREFIX + option + ": " + problem, cause);
  }
}
