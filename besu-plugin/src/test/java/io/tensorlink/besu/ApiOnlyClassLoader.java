package io.tensorlink.besu;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.ServiceLoader;
import org.hyperledger.besu.plugin.BesuPlugin;

/**
 * The class-loader layout Besu gives a plugin: the plugin jar in its own loader, whose parent
 * exposes only what Besu itself provides to plugins (the plugin API, tuweni, picocli, SLF4J, and
 * RocksDB's JNI binding, which Besu ships for its own storage and which cannot be relocated) and
 * nothing else of the test's class path. The parent hands out the test's own copies of those
 * classes, so stand-ins written here and the plugin inside the jar share the same API types.
 */
public final class ApiOnlyClassLoader extends ClassLoader {
  static final List<String> BESU_PROVIDED = List.of("org.hyperledger.besu.", "org.apache.tuweni.", "picocli.", "org.slf4j.",
      "org.rocksdb.");

  private final ClassLoader test;

  ApiOnlyClassLoader(final ClassLoader test) {
    super("besu-api", ClassLoader.getPlatformClassLoader());
    this.test = test;
  }

  /** A fresh loader holding only {@code jar}, on top of a fresh API-only parent. */
  public static URLClassLoader forPlugin(final Path jar) throws IOException {
    return new URLClassLoader("besu-plugin", new URL[] {jar.toUri().toURL()}, new ApiOnlyClassLoader(PluginJarIT.class.getClassLoader()));
  }

  /** What Besu does with a plugin jar: ServiceLoader in the jar's own loader; exactly one plugin expected. */
  public static BesuPlugin loadPlugin(final URLClassLoader loader) {
    final List<BesuPlugin> found = ServiceLoader.load(BesuPlugin.class, loader).stream().map(ServiceLoader.Provider::get).toList();
    if (found.size() != 1) {
      throw new AssertionError("expected one BesuPlugin in the jar, found " + found);
    }
    return found.get(0);
  }

  /** The jar the build made, or null when the tests run outside `verify`. */
  public static Path builtJar() {
    final String prop = System.getProperty("tensorlink.besu.pluginJar");
    return prop != null && java.nio.file.Files.isRegularFile(Path.of(prop)) ? Path.of(prop) : null;
  }

  @Override
  protected Class<?> findClass(final String name) throws ClassNotFoundException {
    if (BESU_PROVIDED.stream().anyMatch(name::startsWith)) {
      return test.loadClass(name);
    }
    throw new ClassNotFoundException(name + " is not part of what Besu provides to plugins");
  }

  @Override
  protected URL findResource(final String name) {
    return null;
  }

  @Override
  protected Enumeration<URL> findResources(final String name) {
    return Collections.emptyEnumeration();
  }
}
