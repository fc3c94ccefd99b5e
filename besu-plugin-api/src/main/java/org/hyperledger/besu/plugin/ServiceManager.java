package org.hyperledger.besu.plugin;

import java.util.Optional;
import org.hyperledger.besu.plugin.services.BesuService;

/** Mirror of Besu's service registry as plugins see it. */
public interface ServiceManager {
  <T extends BesuService> Optional<T> getService(Class<T> serviceType);
}
