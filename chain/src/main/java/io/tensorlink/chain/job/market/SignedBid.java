package io.tensorlink.chain.job.market;

import io.tensorlink.chain.pol.Abi;
import io.tensorlink.chain.pol.Bid;
import io.tensorlink.chain.pol.PolDomain;
import io.tensorlink.chain.pol.Signature;
import io.tensorlink.chain.pol.wire.PolCodec;
import io.tensorlink.chain.pol.wire.WireException;
import java.math.BigInteger;
import java.util.Objects;
import org.apache.tuweni.bytes.Bytes;
import org.apache.tuweni.bytes.Bytes32;
import org.apache.tuweni.rlp.RLP;
import org.apache.tuweni.rlp.RLPException;
import org.web3j.crypto.Credentials;

/**
 * A worker's bid as gossiped on {@code /tl/bids/1/<jobId>}: pol's EIP-712 {@link Bid} (price,
 * backend, expiry) plus the measured {@link Capacity}, which the worker signs separately as
 * {@link #CAPACITY_TYPE} bound to the bid's hash (pol's Bid type has no capacity field, and its
 * golden vectors stay as they are).
 *
 * <p>Wire: RLP {@code [bidRlp, mflops, memoryBytes, linkMbps, capacitySignature]}.
 */
public record SignedBid(Bid bid, Capacity capacity, Signature capacitySignature) {
  public static final String TOPIC_PREFIX = "/tl/bids/1/";
  public static final String CAPACITY_TYPE =
      "BidCapacity(bytes32 bid,uint64 mflops,uint64 memoryBytes,uint64 linkMbps)";
  public static final Bytes32 CAPACITY_TYPE_HASH = Abi.keccak(CAPACITY_TYPE);
  public static final int MAX_SIZE = PolCodec.MAX_BID + 128;

  public SignedBid {
    Objects.requireNonNull(bid, "bid");
    Objects.requireNonNull(capacity, "capacity");
    Objects.requireNonNull(capacitySignature, "capacitySignature");
  }

  public static String topic(final BigInteger jobId) {
    return TOPIC_PREFIX + jobId;
  }

  public static SignedBid sign(final BigInteger jobId, final BigInteger price, final Bid.Backend backend,
      final long expiresAt, final Capacity capacity, final PolDomain domain, final Credentials worker) {
    final Bid bid = Bid.sign(jobId, price, backend, expiresAt, domain, worker);
    return new SignedBid(bid, capacity, Signature.sign(worker, domain.digest(capacityHash(bid, capacity))));
  }

  /** keccak256 of the bid's wire form: its identity (ties between a worker's bids break on it). */
  public Bytes32 bidHash() {
    return Abi.keccak(PolCodec.encode(bid));
  }

  /** keccak256 of the whole message: what duplicates are recognised by. */
  public Bytes32 id() {
    return Abi.keccak(encode());
  }

  public boolean capacitySignatureValid(final PolDomain domain) {
    return capacitySignature.isBy(bid.worker(), domain.digest(capacityHash(bid, capacity)));
  }

  private static Bytes32 capacityHash(final Bid bid, final Capacity c) {
    return Abi.words(5).bytes32(CAPACITY_TYPE_HASH).bytes32(Abi.keccak(PolCodec.encode(bid))).uint64(c.mflops())
        .uint64(c.memoryBytes()).uint64(c.linkMbps()).keccak();
  }

  public Bytes encode() {
    return RLP.encodeList(w -> {
      w.writeValue(PolCodec.encode(bid));
      w.writeLong(capacity.mflops());
      w.writeLong(capacity.memoryBytes());
      w.writeLong(capacity.linkMbps());
      w.writeValue(capacitySignature.value());
    });
  }

  public static SignedBid decode(final Bytes wire) {
    if (wire.size() > MAX_SIZE) {
      throw new WireException("bid of " + wire.size() + " bytes exceeds " + MAX_SIZE);
    }
    try {
      return RLP.decodeList(wire, r -> {
        final SignedBid b = new SignedBid(PolCodec.decodeBid(r.readValue()),
            new Capacity(r.readLong(), r.readLong(), r.readLong()), new Signature(r.readValue()));
        if (!r.isComplete()) {
          throw new WireException("bid has trailing fields");
        }
        return b;
      });
    } catch (RLPException | IllegalArgumentException e) {
      throw new WireException("malformed bid: " + e.getMessage(), e);
    }
  }
}
