package io.tensorlink.monero.escrow;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;

/**
 * An {@link EscrowMessage} as canonical JSON ({@code body}) with its signer's id and signature over
 * {@code DOMAIN ‖ body}. This record's own JSON is the wire format of {@code /tl/xmr/1.0.0}.
 */
public record SignedMessage(String signer, String body, String signature) {
  /** Domain separation: an escrow signature can never be replayed as any other signed object. */
  static final byte[] DOMAIN = "tensorlink/xmr-escrow/1\n".getBytes(StandardCharsets.UTF_8);
  /** Upper bound on one message on the wire (multisig tx sets are a few tens of KiB). */
  public static final int MAX_WIRE_BYTES = 4 * 1024 * 1024;

  public SignedMessage {
    Objects.requireNonNull(signer, "signer");
    Objects.requireNonNull(body, "body");
    Objects.requireNonNull(signature, "signature");
  }

  public static SignedMessage sign(final EscrowMessage message, final MessageSigner signer) {
    try {
      final String body = EscrowJson.CANONICAL.writeValueAsString(message);
      return new SignedMessage(signer.signerId(), body,
          Base64.getEncoder().encodeToString(signer.sign(signedBytes(body))));
    } catch (final JsonProcessingException e) {
      throw new IllegalStateException("cannot encode " + message.getClass().getSimpleName(), e);
    }
  }

  /** The message, if the signature is the signer's; otherwise an {@link EscrowException} naming the problem. */
  public EscrowMessage open(final SignatureVerifier verifier) {
    final byte[] sig;
    try {
      sig = Base64.getDecoder().decode(signature);
    } catch (final IllegalArgumentException e) {
      throw new EscrowException(EscrowException.Reason.PROTOCOL, "signature of a message from " + signer + " is not base64");
    }
    if (!verifier.verify(signer, signedBytes(body), sig)) {
      throw new EscrowException(EscrowException.Reason.PROTOCOL, "bad signature on a message claiming to be from " + signer);
    }
    try {
      return EscrowJson.CANONICAL.readValue(body, EscrowMessage.class);
    } catch (final IOException e) {
      throw new EscrowException(EscrowException.Reason.PROTOCOL, "undecodable escrow message from " + signer + ": "
          + e.getMessage().lines().findFirst().orElse(""));
    }
  }

  /**
   * The escrow id the body names, read without checking the signature: for routing a request to the
   * party that will check it. Empty when the body has none.
   */
  public java.util.Optional<String> unverifiedEscrowId() {
    try {
      final com.fasterxml.jackson.databind.JsonNode id = EscrowJson.CANONICAL.readTree(body).get("escrowId");
      return id != null && id.isTextual() ? java.util.Optional.of(id.asText()) : java.util.Optional.empty();
    } catch (final IOException e) {
      return java.util.Optional.empty();
    }
  }

  public byte[] toWire() {
    try {
      return EscrowJson.CANONICAL.writeValueAsBytes(this);
    } catch (final JsonProcessingException e) {
      throw new IllegalStateException("cannot encode a signed message", e);
    }
  }

  public static SignedMessage fromWire(final byte[] bytes) {
    if (bytes.length > MAX_WIRE_BYTES) {
      throw new EscrowException(EscrowException.Reason.PROTOCOL, "escrow message of " + bytes.length + " bytes exceeds "
          + MAX_WIRE_BYTES);
    }
    try {
      return EscrowJson.CANONICAL.readValue(bytes, SignedMessage.class);
    } catch (final IOException e) {
      throw new EscrowException(EscrowException.Reason.PROTOCOL, "not a signed escrow message: "
          + e.getMessage().lines().findFirst().orElse(""));
    }
  }

  private static byte[] signedBytes(final String body) {
    final byte[] b = body.getBytes(StandardCharsets.UTF_8);
    final byte[] out = new byte[DOMAIN.length + b.length];
    System.arraycopy(DOMAIN, 0, out, 0, DOMAIN.length);
    System.arraycopy(b, 0, out, DOMAIN.length, b.length);
    return out;
  }
}
