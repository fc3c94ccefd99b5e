package io.tensorlink.compute.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetsTest {

  @TempDir Path dir;

  @Test
  void charCorpusShiftsLabelsByOneAndSortsVocabulary() throws IOException {
    final Path file = Files.writeString(dir.resolve("t.txt"), "hello world", StandardCharsets.UTF_8);
    final CharCorpus c = CharCorpus.load(file, 4);
    assertThat(c.classes()).isEqualTo(8); // " dehlorw"
    assertThat(c.codePoint(0)).isEqualTo(' ');
    assertThat(c.size()).isEqualTo(11 - 4);
    final Batch b = c.batch(new int[] {0, 6});
    assertThat(b.inputs().shape()).containsExactly(2, 4);
    final String in0 = decode(c, b.inputs().data(), 0, 4);
    final String in1 = decode(c, b.inputs().data(), 4, 4);
    assertThat(in0).isEqualTo("hell");
    assertThat(in1).isEqualTo("worl");
    assertThat(b.labels()).containsExactly(
        c.tokenOf('e'), c.tokenOf('l'), c.tokenOf('l'), c.tokenOf('o'),
        c.tokenOf('o'), c.tokenOf('r'), c.tokenOf('l'), c.tokenOf('d'));
  }

  private static String decode(final CharCorpus c, final float[] ids, final int from, final int n) {
    final StringBuilder sb = new StringBuilder();
    for (int i = from; i < from + n; i++) {
      sb.appendCodePoint(c.codePoint((int) ids[i]));
    }
    return sb.toString();
  }

  @Test
  void charCorpusSplitSharesTheVocabularyAndTilesTheTestText() {
    final CharCorpus c = CharCorpus.fromText("t", "abcdefghijklmnopqrstuvwxyz0123456789", 4);
    final Splits s = c.split(0.5);
    assertThat(s.train().size()).isEqualTo(18 - 4);
    assertThat(s.train().classes()).isEqualTo(c.classes());
    final Dataset test = s.test().orElseThrow();
    // 18 held-out characters: windows at 0, 4, 8, 12 (each needs one more character as label).
    assertThat(test.size()).isEqualTo(4);
    final Batch b = test.batch(new int[] {1, 3});
    assertThat(decode(c, b.inputs().data(), 0, 4)).isEqualTo("wxyz");
    assertThat(decode(c, b.inputs().data(), 4, 4)).isEqualTo("4567");
    assertThat(b.labels()[7]).isEqualTo(c.tokenOf('8'));
    assertThatThrownBy(() -> test.batch(new int[] {4})).hasMessageContaining("sample index 4 outside [0, 4)");
  }

  @Test
  void charCorpusRejectsShortTextAndBadUtf8() throws IOException {
    assertThatThrownBy(() -> CharCorpus.fromText("tiny", "abc", 3))
        .isInstanceOf(DatasetException.class)
        .hasMessageContaining("tiny: 3 characters is too short for a context of 3");
    final Path bad = Files.write(dir.resolve("bad.txt"), new byte[] {'a', (byte) 0xC3, 'b', 'c', 'd'});
    assertThatThrownBy(() -> CharCorpus.load(bad, 2)).hasMessageContaining("bad.txt: not valid UTF-8");
  }

  @Test
  void generatedDataIsReproducibleAndSeedDependent() {
    final Dataset a = GeneratedData.blobs(200, 5, 3, 4f, 11);
    final Dataset b = GeneratedData.blobs(200, 5, 3, 4f, 11);
    final Dataset c = GeneratedData.blobs(200, 5, 3, 4f, 12);
    final int[] idx = {0, 17, 199};
    assertThat(a.batch(idx)).usingRecursiveComparison().isEqualTo(b.batch(idx));
    assertThat(a.batch(idx).inputs()).isNotEqualTo(c.batch(idx).inputs());
    assertThat(java.util.Arrays.stream(a.batch(idx).labels()).allMatch(l -> l >= 0 && l < 3)).isTrue();
  }

  @Test
  void blobsAreSeparableByNearestClassMean() {
    final Dataset d = GeneratedData.blobs(300, 8, 4, 6f, 3);
    final int[] all = java.util.stream.IntStream.range(0, 300).toArray();
    final Batch b = d.batch(all);
    final float[][] mean = new float[4][8];
    final int[] count = new int[4];
    for (int s = 0; s < 300; s++) {
      count[b.labels()[s]]++;
      for (int k = 0; k < 8; k++) {
        mean[b.labels()[s]][k] += b.inputs().data()[s * 8 + k];
      }
    }
    int correct = 0;
    for (int s = 0; s < 300; s++) {
      int best = -1;
      double bestDist = Double.MAX_VALUE;
      for (int c = 0; c < 4; c++) {
        double dist = 0;
        for (int k = 0; k < 8; k++) {
          final double diff = b.inputs().data()[s * 8 + k] - mean[c][k] / count[c];
          dist += diff * diff;
        }
        if (dist < bestDist) {
          bestDist = dist;
          best = c;
        }
      }
      correct += best == b.labels()[s] ? 1 : 0;
    }
    assertThat(correct).isGreaterThan(285);
  }

  @Test
  void syntheticImagesDrawTheClassBar() {
    final Dataset d = GeneratedData.images(20, 1, 8, 8, 4, 0.1f, 5);
    assertThat(d.sampleShape()).containsExactly(1, 8, 8);
    final Batch b = d.batch(new int[] {3});
    final int row = b.labels()[0] * 2;
    assertThat(b.inputs().data()[row * 8 + 3]).isGreaterThanOrEqualTo(0.9f);
    assertThat(b.inputs().data()[((row + 2) % 8) * 8 + 3]).isLessThan(0.1f);
  }

  @Test
  void outOfRangeSampleIsNamed() {
    final Dataset d = GeneratedData.blobs(10, 2, 2, 1f, 1);
    assertThatThrownBy(() -> d.batch(new int[] {10}))
        .isInstanceOf(DatasetException.class)
        .hasMessageContaining("sample index 10 outside [0, 10)");
  }
}
