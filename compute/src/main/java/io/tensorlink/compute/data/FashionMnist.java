package io.tensorlink.compute.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

/**
 * Fashion-MNIST from a directory of gzipped IDX files, named as the original distribution and
 * Debian's {@code dataset-fashion-mnist} package name them ({@code train-images-idx3-ubyte.gz},
 * {@code train-labels-idx1-ubyte.gz}, {@code t10k-images-idx3-ubyte.gz},
 * {@code t10k-labels-idx1-ubyte.gz}). Samples have shape {@code [1, 28, 28]}, 10 classes, pixels
 * standardized by {@link #pixel}.
 */
public final class FashionMnist {

  /** Where Debian's {@code dataset-fashion-mnist} installs the files. */
  public static final Path DEFAULT_DIR = Path.of("/usr/share/datasets/fashion-mnist");

  public static final int CLASSES = 10;

  /** Mean and standard deviation of the training pixels scaled to [0, 1] (the usual constants). */
  public static final double PIXEL_MEAN = 0.2860;

  public static final double PIXEL_STD = 0.3530;

  /**
   * Pixel byte → model input: {@code (v / 255 − mean) / std}, computed in double and rounded once,
   * so every machine gets the same 256 floats. Standardized inputs train markedly faster.
   */
  private static final float[] PIXEL_TABLE = pixelTable();

  private static float[] pixelTable() {
    final float[] t = new float[256];
    for (int v = 0; v < 256; v++) {
      t[v] = (float) ((v / 255.0 - PIXEL_MEAN) / PIXEL_STD);
    }
    return t;
  }

  /** The model input value of pixel byte {@code v}. */
  public static float pixel(final int v) {
    return PIXEL_TABLE[v];
  }

  private FashionMnist() {}

  /** True when all four files are present in {@code dir}. */
  public static boolean isInstalled(final Path dir) {
    return Arrays.stream(new String[] {"train", "t10k"})
        .allMatch(p -> Files.isRegularFile(imagesFile(dir, p)) && Files.isRegularFile(labelsFile(dir, p)));
  }

  public static Splits load(final Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new DatasetException("Fashion-MNIST directory " + dir
          + " does not exist (install Debian's dataset-fashion-mnist or pass another directory)");
    }
    return new Splits(split(dir, "train"), Optional.of(split(dir, "t10k")));
  }

  private static Dataset split(final Path dir, final String prefix) {
    final IdxFile images = IdxFile.read(imagesFile(dir, prefix), 3);
    final IdxFile labels = IdxFile.read(labelsFile(dir, prefix), 1);
    final int[] s = images.shape();
    if (s[0] != labels.shape()[0]) {
      throw new DatasetException(imagesFile(dir, prefix) + " holds " + s[0] + " images but "
          + labelsFile(dir, prefix) + " holds " + labels.shape()[0] + " labels");
    }
    return new LabeledSamples.Bytes(
        "fashion-mnist/" + prefix, images.data(), labels.data(), new int[] {1, s[1], s[2]}, CLASSES,
        PIXEL_TABLE);
  }

  private static Path imagesFile(final Path dir, final String prefix) {
    return dir.resolve(prefix + "-images-idx3-ubyte.gz");
  }

  private static Path labelsFile(final Path dir, final String prefix) {
    return dir.resolve(prefix + "-labels-idx1-ubyte.gz");
  }
}
