package io.tensorlink.compute.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * An unsigned-byte IDX file (the MNIST container format): a 4-byte magic {@code 00 00 08 n},
 * n big-endian int32 dimensions, then the row-major data. Gzipped files are detected by their
 * magic bytes, so both {@code .gz} and plain files load.
 *
 * @param shape dimensions as declared in the header
 * @param data row-major unsigned bytes, {@code product(shape)} long
 */
public record IdxFile(int[] shape, byte[] data) {

  private static final int UBYTE_TYPE = 0x08;

  public IdxFile {
    shape = shape.clone();
  }

  @Override
  public int[] shape() {
    return shape.clone();
  }

  public int get(final int flatIndex) {
    return data[flatIndex] & 0xff;
  }

  /**
   * Reads an IDX file and checks it has {@code expectedDims} dimensions.
   *
   * @throws DatasetException naming the file and what is wrong (bad magic, wrong rank, truncated)
   */
  public static IdxFile read(final Path file, final int expectedDims) {
    try (InputStream raw = new BufferedInputStream(Files.newInputStream(file))) {
      return parse(file, maybeGunzip(raw), expectedDims);
    } catch (ZipException e) {
      throw new DatasetException(file + ": corrupt gzip stream (" + e.getMessage() + ")", e);
    } catch (EOFException e) {
      throw new DatasetException(file + ": truncated gzip stream", e);
    } catch (IOException e) {
      throw new DatasetException(file + ": cannot read (" + e + ")", e);
    }
  }

  private static InputStream maybeGunzip(final InputStream in) throws IOException {
    in.mark(2);
    final int b0 = in.read();
    final int b1 = in.read();
    in.reset();
    return b0 == 0x1f && b1 == 0x8b ? new GZIPInputStream(in, 1 << 16) : in;
  }

  private static IdxFile parse(final Path file, final InputStream in, final int expectedDims)
      throws IOException {
    final DataInputStream data = new DataInputStream(in);
    final byte[] magic = new byte[4];
    if (data.readNBytes(magic, 0, 4) < 4) {
      throw new DatasetException(file + ": truncated header (fewer than 4 bytes)");
    }
    if (magic[0] != 0 || magic[1] != 0 || magic[2] != UBYTE_TYPE || magic[3] != expectedDims) {
      throw new DatasetException(
          String.format(
              "%s: bad magic 0x%02x%02x%02x%02x, expected 0x000008%02x (unsigned bytes, %d dims)",
              file, magic[0], magic[1], magic[2], magic[3], expectedDims, expectedDims));
    }
    final int[] shape = new int[expectedDims];
    long total = 1;
    for (int d = 0; d < expectedDims; d++) {
      final byte[] dim = new byte[4];
      if (data.readNBytes(dim, 0, 4) < 4) {
        throw new DatasetException(file + ": truncated header (dimension " + d + " missing)");
      }
      shape[d] = ((dim[0] & 0xff) << 24) | ((dim[1] & 0xff) << 16) | ((dim[2] & 0xff) << 8) | (dim[3] & 0xff);
      if (shape[d] <= 0) {
        throw new DatasetException(file + ": dimension " + d + " is " + shape[d] + ", must be positive");
      }
      total *= shape[d];
      if (total > Integer.MAX_VALUE - 8) {
        throw new DatasetException(file + ": shape " + Arrays.toString(shape) + " is too large");
      }
    }
    final byte[] body = data.readNBytes((int) total);
    if (body.length < total) {
      throw new DatasetException(
          file + ": truncated: header declares shape " + Arrays.toString(shape) + " = " + total
              + " bytes but only " + body.length + " follow");
    }
    return new IdxFile(shape, body);
  }
}
