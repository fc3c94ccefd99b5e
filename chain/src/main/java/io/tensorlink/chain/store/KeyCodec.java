package io.tensorlink.chain.store;

import java.math.BigInteger;
import java.nio.ByteBuffer;

/**
 * Big-endian, fixed-width key parts so that RocksDB's bytewise order is the numeric order (a job's
 * records sort by step, its blocks by index).
 */
final class KeyCodec {
  static final int JOB_ID = 32;

  private KeyCodec() {}

  /** A uint256 as 32 big-endian bytes. */
  static void putJobId(final ByteBuffer out, final BigInteger jobId) {
    final byte[] raw = jobId.toByteArray();
    final int start = raw.length > JOB_ID ? raw.length - JOB_ID : 0;
    for (int i = raw.length - start; i < JOB_ID; i++) {
      out.put((byte) 0);
    }
    out.put(raw, start, raw.length - start);
  }

  static BigInteger getJobId(final ByteBuffer in) {
    final byte[] raw = new byte[JOB_ID];
    in.get(raw);
    return new BigInteger(1, raw);
  }

  static byte[] jobPrefix(final BigInteger jobId) {
    final ByteBuffer b = ByteBuffer.allocate(JOB_ID);
    putJobId(b, jobId);
    return b.array();
  }

  static void requireJobId(final BigInteger jobId) {
    if (jobId.signum() < 0 || jobId.bitLength() > 256) {
      throw new IllegalArgumentException("job id must be a uint256, got " + jobId);
    }
  }

  static void requireUnsigned(final long value, final String what) {
    if (value < 0) {
      throw new IllegalArgumentException(what + " must not be negative, got " + value);
    }
  }

  static void requireLength(final byte[] value, final int length, final String what) {
    if (value.length != length) {
      throw new IllegalArgumentException(what + " must be " + length + " bytes, got " + value.length);
    }
  }
}
