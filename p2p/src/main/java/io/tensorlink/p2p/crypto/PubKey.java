package io.tensorlink.p2p.crypto;

/** A libp2p public key. Implementations are immutable and thread-safe. */
public sealed interface PubKey permits Ed25519PubKey, Secp256k1PubKey {
  KeyType type();

  /** The key's raw bytes as carried in the protobuf {@code Data} field. */
  byte[] raw();

  /** Whether {@code signature} signs {@code data}; malformed signatures yield false. */
  boolean verify(byte[] data, byte[] signature);

  /** The deterministic protobuf {@code PublicKey} encoding (what peer IDs hash). */
  default byte[] marshal() {
    return KeyProtobuf.encode(type(), raw());
  }
}
