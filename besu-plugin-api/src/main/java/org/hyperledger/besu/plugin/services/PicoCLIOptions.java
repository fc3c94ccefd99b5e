package org.hyperledger.besu.plugin.services;

/** Mirror: adds a plugin's picocli-annotated options bean to Besu's command line. */
public interface PicoCLIOptions extends BesuService {
  void addPicoCLIOptions(String namespace, Object optionObject);
}
