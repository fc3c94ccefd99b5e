package io.tensorlink.chain.job.result;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LossCurveTest {
  @TempDir Path dir;

  @Test
  void writesAPngOfTheDocumentedSizeWithTheCurveDrawn() throws Exception {
    final List<LossCurve.Point> points = new ArrayList<>();
    for (int t = 0; t < 200; t++) {
      points.add(new LossCurve.Point(t, 2.3 * Math.exp(-t / 50.0) + 0.1));
    }
    points.add(new LossCurve.Point(200, Double.NaN));
    final Path png = dir.resolve("sub/model.safetensors.loss.png");
    LossCurve.write(png, "job 7", points);

    final byte[] bytes = Files.readAllBytes(png);
    assertThat(bytes).startsWith(0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n');
    final BufferedImage image = ImageIO.read(png.toFile());
    assertThat(image.getWidth()).isEqualTo(LossCurve.WIDTH);
    assertThat(image.getHeight()).isEqualTo(LossCurve.HEIGHT);
    // the curve's colour is present: it starts high on the left and ends low on the right
    final int blue = 0x1f77b4;
    assertThat(columnHasColour(image, 75, blue, 40, 120)).isTrue();
    assertThat(columnHasColour(image, LossCurve.WIDTH - 25, blue, LossCurve.HEIGHT - 150, LossCurve.HEIGHT - 50))
        .isTrue();
  }

  @Test
  void anEmptyCurveStillWritesAnImage() throws Exception {
    final Path png = dir.resolve("empty.png");
    LossCurve.write(png, "job 8", List.of());
    assertThat(ImageIO.read(png.toFile()).getWidth()).isEqualTo(LossCurve.WIDTH);
  }

  @Test
  void aStepsLossIsTheSumOfItsReplicasContributions() {
    assertThat(LossCurve.loss(List.of(Double.doubleToRawLongBits(0.25), Double.doubleToRawLongBits(0.5))))
        .isEqualTo(0.75);
  }

  private static boolean columnHasColour(final BufferedImage image, final int x, final int rgb, final int fromY,
      final int toY) {
    for (int y = fromY; y < toY; y++) {
      final int p = image.getRGB(x, y) & 0xffffff;
      if (Math.abs(((p >> 16) & 0xff) - ((rgb >> 16) & 0xff)) < 40 && Math.abs(((p >> 8) & 0xff) - ((rgb >> 8) & 0xff)) < 40
          && Math.abs((p & 0xff) - (rgb & 0xff)) < 40) {
        return true;
      }
    }
    return false;
  }
}
