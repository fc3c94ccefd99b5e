package io.tensorlink.p2p.crypto;

import java.security.SecureRandom;

/** Generating and decoding libp2p keys. */
public final class Keys {
  private Keys() {}

  public static PrivKey generate(final KeyType type) {
    return generate(type, new SecureRandom());
  }

  public static PrivKey generate(final KeyType type, final SecureRandom random) {
    return switch (type) {
      case ED25519 -> Ed25519PrivKey.generate(random);
      case SECP256K1 -> Secp256k1PrivKey.generate(random);
    };
  }

  /** Decodes a protobuf {@code PublicKey}; throws {@code MalformedInputException} naming the defect. */
  public static PubKey unmarshalPublic(final byte[] protobuf) {
    final KeyProtobuf.Decoded d = KeyProtobuf.decode(protobuf);
    return switch (d.type()) {
      case ED25519 -> Ed25519PubKey.fromRaw(d.data());
      case SECP256K1 -> Secp256k1PubKey.fromRaw(d.data());
    };
  }

  /** Decodes a protobuf {@code PrivateKey}; throws {@code MalformedInputException} naming the defect. */
  public static PrivKey unmarshalPrivate(final byte[] protobuf) {
    final KeyProtobuf.Decoded d = KeyProtobuf.decode(protobuf);
    return switch (d.type()) {
      case ED25519 -> Ed25519PrivKey.fromRaw(d.data());
      case SECP256K1 -> Secp256k1PrivKey.fromRaw(d.data());
    };
  }
}
