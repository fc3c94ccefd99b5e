package io.tensorlink.chain.validator;

import io.tensorlink.chain.pol.Attestation;
import java.util.List;

/** The validator's account key, as far as the service needs it (a host may keep the key elsewhere). */
public interface AttestationSigner {
  /** The account address (lower-case 0x text). */
  String address();

  /** A 65-byte {@code r ‖ s ‖ v} signature over the anchor's EIP-712 digest of {@code blockHash} (what {@code submit} checks). */
  byte[] sign(byte[] blockHash);

  /** pol-core's attestation of {@code blockHash}: the header signature plus the signed verdicts of the records it re-executed. */
  Attestation attest(byte[] blockHash, List<Attestation.SampleVerdict> sampled);

  /** Whether both of {@code attestation}'s signatures are by the validator it names, in this signer's domain. */
  boolean verify(Attestation attestation);
}
