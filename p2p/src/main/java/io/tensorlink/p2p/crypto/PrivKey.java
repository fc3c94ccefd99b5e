package io.tensorlink.p2p.crypto;

/** A libp2p private key. Implementations are immutable and thread-safe. */
public sealed interface PrivKey permits Ed25519PrivKey, Secp256k1PrivKey {
  KeyType type();

  /** The key's raw bytes as carried in the protobuf {@code PrivateKey.Data} field. */
  byte[] raw();

  byte[] sign(byte[] data);

  PubKey publicKey();

  /** The protobuf {@code PrivateKey} encoding. */
  default byte[] marshal() {
    return KeyProtobuf.encode(type(), raw());
  }
}
