package org.hyperledger.besu.plugin;

import java.util.concurrent.CompletableFuture;

/** Mirror of Besu's plugin entry point: the lifecycle callbacks Besu invokes on every loaded plugin. */
public interface BesuPlugin {
  default String getName() {
    return getClass().getName();
  }

  void register(ServiceManager serviceManager);

  default void beforeExternalServices() {}

  void start();

  default void afterExternalServicePostMainLoop() {}

  default CompletableFuture<Void> reloadConfiguration() {
    return CompletableFuture.completedFuture(null);
  }

  void stop();

  default String getVersion() {
    return "";
  }
}
