package io.tensorlink.compute.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FashionMnistTest {

  @TempDir Path dir;

  @Test
  void loadsTheInstalledDataset() {
    assumeTrue(FashionMnist.isInstalled(FashionMnist.DEFAULT_DIR),
        "Fashion-MNIST not installed at " + FashionMnist.DEFAULT_DIR + " (apt-get install dataset-fashion-mnist)");
    final Splits s = FashionMnist.load(FashionMnist.DEFAULT_DIR);
    assertThat(s.train().size()).isEqualTo(60_000);
    assertThat(s.test().orElseThrow().size()).isEqualTo(10_000);
    final Batch b = s.train().batch(new int[] {0, 1});
    assertThat(b.inputs().shape()).containsExactly(2, 1, 28, 28);
    // The first two training labels of Fashion-MNIST are 9 (ankle boot) and 0 (T-shirt).
    assertThat(b.labels()).containsExactly(9, 0);
    for (final float v : b.inputs().data()) {
      assertThat(v).isBetween(FashionMnist.pixel(0), FashionMnist.pixel(255));
    }
  }

  @Test
  void mismatchedCountsNameBothFiles() throws IOException {
    writeSplit("train", 3, 2);
    writeSplit("t10k", 2, 2);
    assertThatThrownBy(() -> FashionMnist.load(dir))
        .isInstanceOf(DatasetException.class)
        .hasMessageContaining("train-images-idx3-ubyte.gz holds 3 images")
        .hasMessageContaining("train-labels-idx1-ubyte.gz holds 2 labels");
  }

  @Test
  void labelOutOfRangeIsNamed() throws IOException {
    writeSplit("train", 2, 2);
    writeSplit("t10k", 2, 2);
    Files.write(dir.resolve("t10k-labels-idx1-ubyte.gz"),
        IdxFileTest.gzip(IdxFileTest.idx(1, new int[] {2}, new byte[] {1, 10})));
    assertThatThrownBy(() -> FashionMnist.load(dir))
        .hasMessageContaining("fashion-mnist/t10k: label 10 of sample 1 is not below the class count 10");
  }

  @Test
  void smallWellFormedDirectoryLoads() throws IOException {
    writeSplit("train", 3, 3);
    writeSplit("t10k", 2, 2);
    assertThat(FashionMnist.isInstalled(dir)).isTrue();
    final Splits s = FashionMnist.load(dir);
    assertThat(s.train().batch(new int[] {2}).inputs().data()[0]).isEqualTo(FashionMnist.pixel(2));
    assertThat(FashionMnist.pixel(2)).isEqualTo((float) ((2 / 255.0 - 0.2860) / 0.3530));
  }

  @Test
  void missingDirectoryIsExplained() {
    assertThatThrownBy(() -> FashionMnist.load(dir.resolve("nope")))
        .hasMessageContaining("does not exist (install Debian's dataset-fashion-mnist");
  }

  private void writeSplit(final String prefix, final int images, final int labels) throws IOException {
    final byte[] pixels = new byte[images * 4];
    for (int i = 0; i < images; i++) {
      pixels[i * 4] = (byte) i;
    }
    Files.write(dir.resolve(prefix + "-images-idx3-ubyte.gz"),
        IdxFileTest.gzip(IdxFileTest.idx(3, new int[] {images, 2, 2}, pixels)));
    Files.write(dir.resolve(prefix + "-labels-idx1-ubyte.gz"),
        IdxFileTest.gzip(IdxFileTest.idx(1, new int[] {labels}, new byte[labels])));
  }
}
