package org.hyperledger.besu.plugin;

/** Mirror of Besu's plugin entry point: the lifecycle callbacks the TensorLink plugin implements. */
public interface BesuPlugin {
  default String getName() {
    return getClass().getName();
  }

  void register(ServiceManager serviceManager);

  default void beforeExternalServices() {}

  void start();

  void stop();

  default String getVersion() {
    return "";
  }
}
