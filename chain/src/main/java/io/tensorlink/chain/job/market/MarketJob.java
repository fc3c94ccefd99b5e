package io.tensorlink.chain.job.market;

import io.tensorlink.chain.pol.EthAddress;
import io.tensorlink.chain.pol.JobSpec;
import io.tensorlink.chain.pol.VerifyMode;
import java.math.BigInteger;

/**
 * A job whose announcement checked out against the escrow: the verified spec, the announcement
 * (chunk index, bid window, the client's binding) and the on-chain record it was checked against.
 */
public record MarketJob(BigInteger jobId, JobSpec spec, JobAnnouncement announcement, OnChainJob onChain) {
  public EthAddress client() {
    return onChain.client();
  }

  public long bidWindowEnd() {
    return announcement.bidWindowEnd();
  }

  /** The escrow's price per record: the most a bid may ask. */
  public BigInteger maxPrice() {
    return onChain.pricePerStep();
  }

  /** CUDA workers can only take tolerant jobs (exact mode re-executes bit for bit on CPU). */
  public boolean cudaAllowed() {
    return spec.verifyMode() == VerifyMode.TOLERANT;
  }

  public String bidTopic() {
    return SignedBid.topic(jobId);
  }
}
