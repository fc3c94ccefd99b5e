package io.tensorlink.p2p.crypto;

import io.tensorlink.p2p.util.MalformedInputException;

/** Key types of the libp2p {@code KeyType} protobuf enum that this node supports. */
public enum KeyType {
  ED25519(1),
  SECP256K1(2);

  private final int code;

  KeyType(final int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }

  public static KeyType fromCode(final int code) {
    return switch (code) {
      case 1 -> ED25519;
      case 2 -> SECP256K1;
      case 0 -> throw new MalformedInputException("RSA keys (type 0) are not supported");
      case 3 -> throw new MalformedInputException("ECDSA keys (type 3) are not supported");
      default -> throw new MalformedInputException("unknown key type " + code);
    };
  }
}
