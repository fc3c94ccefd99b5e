package io.tensorlink.compute.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

/**
 * Fashion-MNIST from a directory of gzipped IDX files, named as the original distribution and
 * Debian's {@code dataset-fashion-mnist} package name them ({@code train-images-idx3-ubyte.gz},
 * {@code train-labels-idx1-ubyte.gz}, {@code t10k-images-idx3-ubyte.gz},
 * {@code t10k-labels-idx1-ubyte.gz}). Samples have shape {@code [1, 28, 28]}, 10 classes.
 */
public final class FashionMnist {

  /** Where Debian's {@code dataset-fashion-mnist} installs the files. */
  public static final Path DEFAULT_DIR = Path.of("/usr/share/datasets/fashion-mnist");

  public static final int CLASSES = 10;

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
        "fashion-mnist/" + prefix, images.data(), labels.data(), new int[] {1, s[1], s[2]}, CLASSES);
  }

  private static Path imagesFile(final Path dir, final String prefix) {
    return dir.resolve(prefix + "-images-idx3-ubyte.gz");
  }

  private static Path labelsFile(final Path dir, final String prefix) {
    return dir.resolve(prefix + "-labels-idx1-ubyte.gz");
  }
}
