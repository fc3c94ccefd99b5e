package io.tensorlink.chain.job.churn;

import io.tensorlink.chain.pol.Abi;
import io.tensorlink.chain.pol.EthAddress;
import io.tensorlink.chain.pol.PolDomain;
import io.tensorlink.chain.pol.Signature;
import io.tensorlink.chain.pol.wire.WireException;
import java.math.BigInteger;
import java.util.Objects;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;
import org.apache.tuweni.rlp.RLP;
import org.apache.tuweni.rlp.RLPException;
import org.web3j.crypto.Credentials;

/**
 * A standby's announcement that it takes over cell (stage, replica) of a job from a worker the
 * heartbeats declared gone, resuming at {@code resumeStep} (the first step after the last anchored
 * block). Signed (EIP-712, PoL domain) by the standby's account: it is the evidence that makes the
 * standby the cell's worker from {@code resumeStep} on.
 *
 * <p>Wire, on {@code /tl/takeover/1/<jobId>}: RLP {@code [jobId, stage, replica, replaced(20),
 * standby(20), resumeStep, signature(65)]}.
 */
public record Takeover(BigInteger jobId, int stage, int replica, EthAddress replaced, EthAddress standby,
    long resumeStep, Signature signature) {
  public static final String TYPE = "Takeover(uint256 jobId,uint32 stage,uint32 replica,address replaced,"
      + "address standby,uint64 resumeStep)";
  public static final Bytes32 TYPE_HASH = Abi.keccak(TYPE);
  private static final int MAX_SIZE = 256;

  public Takeover {
    Objects.requireNonNull(jobId, "jobId");
    Objects.requireNonNull(replaced, "replaced");
    Objects.requireNonNull(standby, "standby");
    Objects.requireNonNull(signature, "signature");
    if (jobId.signum() < 0 || jobId.bitLength() > 256 || stage < 0 || replica < 0 || resumeStep < 0) {
      throw new IllegalArgumentException("takeover fields out of range: job " + jobId + " cell (" + stage + ", "
          + replica + ") step " + resumeStep);
    }
  }

  public static String topic(final BigInteger jobId) {
    return "/tl/takeover/1/" + jobId;
  }

  public static Takeover sign(final BigInteger jobId, final int stage, final int replica, final EthAddress replaced,
      final long resumeStep, final PolDomain domain, final Credentials standby) {
    final EthAddress self = EthAddress.of(standby.getAddress());
    return new Takeover(jobId, stage, replica, replaced, self, resumeStep,
        Signature.sign(standby, domain.digest(hash(jobId, stage, replica, replaced, self, resumeStep))));
  }

  /** Whether the signature is the named standby's. */
  public boolean signedByStandby(final PolDomain domain) {
    return signature.isBy(standby, domain.digest(hash(jobId, stage, replica, replaced, standby, resumeStep)));
  }

  private static Bytes32 hash(final BigInteger jobId, final int stage, final int replica, final EthAddress replaced,
      final EthAddress standby, final long resumeStep) {
    return Abi.words(7).bytes32(TYPE_HASH).uint(jobId).uint64(stage).uint64(replica).address(replaced)
        .address(standby).uint64(resumeStep).keccak();
  }

  public Bytes encode() {
    return RLP.encodeList(w -> {
      w.writeBigInteger(jobId);
      w.writeInt(stage);
      w.writeInt(replica);
      w.writeValue(replaced.value());
      w.writeValue(standby.value());
      w.writeLong(resumeStep);
      w.writeValue(signature.value());
    });
  }

  /** @throws WireException naming what is wrong */
  public static Takeover decode(final Bytes wire) {
    if (wire.size() > MAX_SIZE) {
      throw new WireException("takeover of " + wire.size() + " bytes exceeds " + MAX_SIZE);
    }
    try {
      return RLP.decodeList(wire, r -> {
        final Takeover t = new Takeover(r.readBigInteger(), r.readInt(), r.readInt(), new EthAddress(r.readValue()),
            new EthAddress(r.readValue()), r.readLong(), new Signature(r.readValue()));
        if (!r.isComplete()) {
          throw new WireException("takeover has trailing fields");
        }
        return t;
      });
    } catch (RLPException | IllegalArgumentException e) {
      throw new WireException("malformed takeover: " + e.getMessage(), e);
    }
  }
}
