package io.tensorlink.cli.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** {@code --version}: the project version the jar was built from, and the JVM it runs on. */
public final class VersionProvider implements IVersionProvider {
  @Override
  public String[] getVersion() {
    return new String[] {
      "tl-cli " + projectVersion(),
      "JVM " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")"
    };
  }

  public static String projectVersion() {
    try (InputStream in = VersionProvider.class.getResourceAsStream("/io/tensorlink/cli/version.properties")) {
      if (in == null) {
        return "unknown";
      }
      final Properties props = new Properties();
      props.load(in);
      return props.getProperty("version", "unknown");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
