package io.tensorlink.besu.anchor;

import io.tensorlink.chain.pol.PoLHeader;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.apache.tuweni.bytes.Bytes32;
import org.web3j.crypto.Hash;

/**
 * A decoded {@code PoLAnchor.submit(PoLBlock header, bytes[] signatures)} call.
 *
 * <p>Decoding is strict: only the canonical ABI encoding Solidity's encoder produces is accepted
 * (offsets where the encoder puts them, zero padding, no trailing bytes, 65-byte signatures), so
 * every node reads the same bytes the same way and two encodings of one call cannot both pass.
 */
public record SubmitCall(PoLHeader header, List<byte[]> signatures) {
  /** The header tuple is PoLHeader's fields in order (PROTOCOL.md); it is static, so encoded in place. */
  public static final String SIGNATURE = "submit((uint256,uint64,bytes32,uint64,uint64,bytes32,bytes32,bytes32,bytes32,uint64),bytes[])";
  /** The 4-byte function selector. */
  public static final byte[] SELECTOR = Arrays.copyOf(Hash.sha3(SIGNATURE.getBytes(StandardCharsets.UTF_8)), 4);

  /** Signatures above this count cannot be useful (no snapshot is that large) and are refused unread. */
  public static final int MAX_SIGNATURES = 256;
  private static final int SIG_LEN = 65;
  private static final int W = Words.WORD;
  private static final int HEAD_WORDS = 10;

  public SubmitCall {
    signatures = List.copyOf(signatures);
  }

  /** Whether {@code calldata} calls {@code submit} at all (its first four bytes are the selector). */
  public static boolean isSubmit(final byte[] calldata) {
    return calldata.length >= 4 && Arrays.equals(calldata, 0, 4, SELECTOR, 0, 4);
  }

  /**
   * Decodes a {@code submit} call.
   *
   * @throws MalformedCalldataException naming what is wrong, for any non-canonical encoding
   */
  public static SubmitCall decode(final byte[] calldata) {
    if (!isSubmit(calldata)) {
      throw new MalformedCalldataException("not a submit call (selector)");
    }
    final byte[] args = Arrays.copyOfRange(calldata, 4, calldata.length);
    if (args.length % W != 0) {
      throw new MalformedCalldataException("length " + args.length + " is not a whole number of 32-byte words");
    }
    require(args, (HEAD_WORDS + 2) * W, "too short for a header and a signature array");
    final PoLHeader header = header(args);
    final int arrayAt = smallInt(Words.at(args, HEAD_WORDS * W), "signatures offset");
    if (arrayAt != (HEAD_WORDS + 1) * W) {
      throw new MalformedCalldataException("signatures offset is " + arrayAt + ", canonical is " + (HEAD_WORDS + 1) * W);
    }
    final int count = smallInt(Words.at(args, arrayAt), "signature count");
    if (count > MAX_SIGNATURES) {
      throw new MalformedCalldataException(count + " signatures, more than " + MAX_SIGNATURES);
    }
    final int base = arrayAt + W;
    require(args, base + count * W, "signature offsets run past the end");
    final List<byte[]> signatures = new ArrayList<>(count);
    int expected = count * W;
    for (int i = 0; i < count; i++) {
      final int off = smallInt(Words.at(args, base + i * W), "signature " + i + " offset");
      if (off != expected) {
        throw new MalformedCalldataException("signature " + i + " offset is " + off + ", canonical is " + expected);
      }
      final int at = base + off;
      require(args, at + W, "signature " + i + " runs past the end");
      final int len = smallInt(Words.at(args, at), "signature " + i + " length");
      if (len != SIG_LEN) {
        throw new MalformedCalldataException("signature " + i + " has " + len + " bytes, expected " + SIG_LEN);
      }
      final int padded = (len + W - 1) / W * W;
      require(args, at + W + padded, "signature " + i + " runs past the end");
      signatures.add(Arrays.copyOfRange(args, at + W, at + W + len));
      for (int p = at + W + len; p < at + W + padded; p++) {
        if (args[p] != 0) {
          throw new MalformedCalldataException("signature " + i + " has non-zero padding");
        }
      }
      expected += W + padded;
    }
    if (base + expected != args.length) {
      throw new MalformedCalldataException((args.length - base - expected) + " trailing bytes after the signatures");
    }
    return new SubmitCall(header, signatures);
  }

  /** The canonical calldata of this call (what {@link #decode} accepts back). */
  public byte[] encode() {
    final int padded = (SIG_LEN + W - 1) / W * W;
    final ByteBuffer out = ByteBuffer.allocate(4 + (HEAD_WORDS + 2) * W + signatures.size() * (2 * W + padded));
    out.put(SELECTOR).put(headerWords(header)).put(Words.uint(BigInteger.valueOf((HEAD_WORDS + 1) * W)));
    out.put(Words.uint(BigInteger.valueOf(signatures.size())));
    for (int i = 0; i < signatures.size(); i++) {
      out.put(Words.uint(BigInteger.valueOf((long) signatures.size() * W + (long) i * (W + padded))));
    }
    for (byte[] sig : signatures) {
      out.put(Words.uint(BigInteger.valueOf(sig.length))).put(Arrays.copyOf(sig, padded));
    }
    return out.array();
  }

  /** Decodes {@code calldata} if it is a submit call; empty for any other call. */
  public static Optional<SubmitCall> ifSubmit(final byte[] calldata) {
    return isSubmit(calldata) ? Optional.of(decode(calldata)) : Optional.empty();
  }

  private static byte[] headerWords(final PoLHeader h) {
    return ByteBuffer.allocate(HEAD_WORDS * W)
        .put(Words.uint(h.jobId())).put(Words.uint(BigInteger.valueOf(h.index()))).put(h.parent().toArrayUnsafe())
        .put(Words.uint(BigInteger.valueOf(h.stepFrom()))).put(Words.uint(BigInteger.valueOf(h.stepTo())))
        .put(h.stepsRoot().toArrayUnsafe()).put(h.payoutsRoot().toArrayUnsafe()).put(h.checkpointRoot().toArrayUnsafe())
        .put(h.randomness().toArrayUnsafe()).put(Words.uint(BigInteger.valueOf(h.randomnessBlock())))
        .array();
  }

  private static PoLHeader header(final byte[] args) {
    final String[] names = {"jobId", "index", "parent", "stepFrom", "stepTo", "stepsRoot", "payoutsRoot",
        "checkpointRoot", "randomness", "randomnessBlock"};
    final byte[][] w = new byte[HEAD_WORDS][];
    for (int i = 0; i < HEAD_WORDS; i++) {
      w[i] = Words.at(args, i * W);
    }
    for (int i : new int[] {1, 3, 4, 9}) {
      if (!Words.fits(w[i], 64)) {
        throw new MalformedCalldataException("header." + names[i] + " does not fit uint64");
      }
    }
    try {
      return new PoLHeader(
          Words.asUint(w[0]),
          Words.asUint(w[1]).longValue(),
          Bytes32.wrap(w[2]),
          Words.asUint(w[3]).longValue(),
          Words.asUint(w[4]).longValue(),
          Bytes32.wrap(w[5]),
          Bytes32.wrap(w[6]),
          Bytes32.wrap(w[7]),
          Bytes32.wrap(w[8]),
          Words.asUint(w[9]).longValue());
    } catch (IllegalArgumentException e) {
      // Values PoLHeader refuses (uint64 above 2^63, stepTo before stepFrom) the contract refuses too.
      throw new MalformedCalldataException("header: " + e.getMessage());
    }
  }

  private static int smallInt(final byte[] word, final String what) {
    final BigInteger v = Words.asUint(word);
    if (v.bitLength() > 30) {
      throw new MalformedCalldataException(what + " is out of range");
    }
    return v.intValue();
  }

  private static void require(final byte[] args, final int length, final String what) {
    if (args.length < length) {
      throw new MalformedCalldataException(what + " (" + args.length + " bytes of arguments)");
    }
  }
}
