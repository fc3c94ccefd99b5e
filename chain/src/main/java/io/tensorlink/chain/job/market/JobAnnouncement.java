package io.tensorlink.chain.job.market;

import io.tensorlink.chain.job.data.ChunkIndex;
import io.tensorlink.chain.pol.Abi;
import io.tensorlink.chain.pol.JobSpec;
import io.tensorlink.chain.pol.NodeBinding;
import io.tensorlink.chain.pol.PolDomain;
import io.tensorlink.chain.pol.Signature;
import io.tensorlink.chain.pol.wire.PolCodec;
import io.tensorlink.chain.pol.wire.WireException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;
import org.apache.tuweni.rlp.RLP;
import org.apache.tuweni.rlp.RLPException;
import org.web3j.crypto.Credentials;

/**
 * A client's announcement of a funded job on {@link #TOPIC}: the job's canonical spec JSON (whose
 * keccak is the escrow's {@code paramsHash}), the dataset's chunk index, when bidding closes (a chain
 * timestamp), how many standbys the assignment keeps, and the client's node binding (so workers know
 * which peer serves the data), all signed by the client's account in the PoL domain.
 *
 * <p>Wire: RLP {@code [jobId, specJson, chunkIndexRlp, bidWindowEnd, standbys, bindingRlp, signature]}.
 * Signed struct: {@link #TYPE}, with {@code chunkIndex = keccak(chunkIndexRlp)} and {@code binding =
 * keccak(bindingRlp)}.
 */
public record JobAnnouncement(BigInteger jobId, String specJson, ChunkIndex chunks, long bidWindowEnd, int standbys,
    NodeBinding binding, Signature signature) {
  public static final String TOPIC = "/tl/jobs/1";
  public static final String TYPE = "JobAnnouncement(uint256 jobId,bytes32 paramsHash,bytes32 chunkIndex,"
      + "uint64 bidWindowEnd,uint32 standbys,bytes32 binding)";
  public static final Bytes32 TYPE_HASH = Abi.keccak(TYPE);
  /** Gossip's default message limit is 1 MiB; keep clear of it. */
  public static final int MAX_SIZE = 1000 * 1024;
  public static final int MAX_STANDBYS = 64;

  public JobAnnouncement {
    Objects.requireNonNull(jobId, "jobId");
    Objects.requireNonNull(specJson, "specJson");
    Objects.requireNonNull(chunks, "chunks");
    Objects.requireNonNull(binding, "binding");
    Objects.requireNonNull(signature, "signature");
    if (jobId.signum() <= 0 || bidWindowEnd < 0 || standbys < 0 || standbys > MAX_STANDBYS) {
      throw new IllegalArgumentException("jobId must be positive, bidWindowEnd >= 0 and standbys in [0, "
          + MAX_STANDBYS + "], got " + jobId + ", " + bidWindowEnd + ", " + standbys);
    }
  }

  public static JobAnnouncement sign(final BigInteger jobId, final JobSpec spec, final ChunkIndex chunks,
      final long bidWindowEnd, final int standbys, final NodeBinding binding, final PolDomain domain,
      final Credentials client) {
    final String json = spec.canonicalJson();
    final Bytes32 digest = domain.digest(structHash(jobId, paramsHash(json), chunks, bidWindowEnd, standbys, binding));
    return new JobAnnouncement(jobId, json, chunks, bidWindowEnd, standbys, binding, Signature.sign(client, digest));
  }

  /** Parses the spec; it must be canonical so its hash is the hash of exactly these bytes. */
  public JobSpec spec() {
    final JobSpec spec = JobSpec.parse(specJson);
    if (!spec.canonicalJson().equals(specJson)) {
      throw new IllegalArgumentException("the announced job spec is not in canonical form");
    }
    return spec;
  }

  /** keccak256 of the announced spec bytes. */
  public Bytes32 paramsHash() {
    return paramsHash(specJson);
  }

  /** Whether the signature is by the binding's account. */
  public boolean signatureValid(final PolDomain domain) {
    return signature.isBy(binding.account(),
        domain.digest(structHash(jobId, paramsHash(), chunks, bidWindowEnd, standbys, binding)));
  }

  private static Bytes32 paramsHash(final String json) {
    return Abi.keccak(Bytes.wrap(json.getBytes(StandardCharsets.UTF_8)));
  }

  private static Bytes32 structHash(final BigInteger jobId, final Bytes32 paramsHash, final ChunkIndex chunks,
      final long bidWindowEnd, final int standbys, final NodeBinding binding) {
    return Abi.words(7).bytes32(TYPE_HASH).uint(jobId).bytes32(paramsHash).bytes32(chunks.hash())
        .uint64(bidWindowEnd).uint64(standbys).bytes32(Abi.keccak(PolCodec.encode(binding))).keccak();
  }

  public byte[] encode() {
    return RLP.encodeList(w -> {
      w.writeBigInteger(jobId);
      w.writeString(specJson);
      w.writeValue(chunks.encode());
      w.writeLong(bidWindowEnd);
      w.writeInt(standbys);
      w.writeValue(PolCodec.encode(binding));
      w.writeValue(signature.value());
    }).toArray();
  }

  /** Decodes and bounds-checks; signature and chain checks are {@link JobCatalog}'s. */
  public static JobAnnouncement decode(final byte[] wire) {
    if (wire.length > MAX_SIZE) {
      throw new WireException("job announcement of " + wire.length + " bytes exceeds " + MAX_SIZE);
    }
    try {
      return RLP.decodeList(Bytes.wrap(wire), r -> {
        final JobAnnouncement a = new JobAnnouncement(r.readBigInteger(), r.readString(),
            ChunkIndex.decode(r.readValue()), r.readLong(), r.readInt(), PolCodec.decodeBinding(r.readValue()),
            new Signature(r.readValue()));
        if (!r.isComplete()) {
          throw new WireException("job announcement has trailing fields");
        }
        return a;
      });
    } catch (RLPException | IllegalArgumentException e) {
      throw new WireException("malformed job announcement: " + e.getMessage(), e);
    }
  }
}
