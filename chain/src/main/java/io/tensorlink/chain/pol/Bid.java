package io.tensorlink.chain.pol;

import java.math.BigInteger;
import org.apache.tuweni.bytes.Bytes32;
import org.web3j.crypto.Credentials;

/**
 * A worker's signed offer for a job, gossiped during the bid window: the price it asks per
 * record, the backend it trains on and when the offer lapses (a chain timestamp).
 */
public record Bid(BigInteger jobId, EthAddress worker, BigInteger pricePerStep, Backend backend, long expiresAt,
    Signature signature) {

  public static final String TYPE =
      "Bid(uint256 jobId,address worker,uint256 pricePerStep,uint8 backend,uint64 expiresAt)";
  public static final Bytes32 TYPE_HASH = Abi.keccak(TYPE);

  /** What the worker trains on; {@code CUDA} workers can only take tolerant jobs. */
  public enum Backend { CPU, CUDA }

  public Bid {
    Checks.uint256("jobId", jobId);
    Checks.present("worker", worker);
    Checks.uint256("pricePerStep", pricePerStep);
    Checks.present("backend", backend);
    Checks.nonNegative("expiresAt", expiresAt);
    Checks.present("signature", signature);
  }

  public static Bid sign(final BigInteger jobId, final BigInteger pricePerStep, final Backend backend,
      final long expiresAt, final PolDomain domain, final Credentials worker) {
    final EthAddress address = EthAddress.of(worker.getAddress());
    return new Bid(jobId, address, pricePerStep, backend, expiresAt,
        Signature.sign(worker, domain.digest(structHash(jobId, address, pricePerStep, backend, expiresAt))));
  }

  static Bytes32 structHash(final BigInteger jobId, final EthAddress worker, final BigInteger price,
      final Backend backend, final long expiresAt) {
    return Abi.words(6).bytes32(TYPE_HASH).uint(jobId).address(worker).uint(price)
        .uint64(backend.ordinal()).uint64(expiresAt).keccak();
  }

  public boolean signatureValid(final PolDomain domain) {
    return signature.isBy(worker, domain.digest(structHash(jobId, worker, pricePerStep, backend, expiresAt)));
  }
}
