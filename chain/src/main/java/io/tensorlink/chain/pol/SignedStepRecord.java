package io.tensorlink.chain.pol;

import org.apache.tuweni.bytes.Bytes32;

/** A step record with its worker's EIP-712 signature, as published on {@code /tl/steps/1/<jobId>}. */
public record SignedStepRecord(StepRecord record, Signature signature) {
  public SignedStepRecord {
    Checks.present("record", record);
    Checks.present("signature", signature);
  }

  public static SignedStepRecord sign(final StepRecord record, final PolDomain domain,
      final org.web3j.crypto.Credentials worker) {
    if (!worker.getAddress().equalsIgnoreCase(record.worker().toString())) {
      throw new IllegalArgumentException("record names worker " + record.worker() + " but the key is "
          + worker.getAddress());
    }
    return new SignedStepRecord(record, Signature.sign(worker, record.digest(domain)));
  }

  public Bytes32 leaf() {
    return record.recordHash();
  }

  /** Whether the signature is the record's worker's over the record in {@code domain}. */
  public boolean signatureValid(final PolDomain domain) {
    return signature.isBy(record.worker(), record.digest(domain));
  }
}
