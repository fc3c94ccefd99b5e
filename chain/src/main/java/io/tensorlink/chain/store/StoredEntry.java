package io.tensorlink.chain.store;

/** A key and its stored value, as range reads return them. */
public record StoredEntry<K>(K key, byte[] value) {
  public StoredEntry {
    value = value.clone();
  }

  @Override
  public byte[] value() {
    return value.clone();
  }
}
