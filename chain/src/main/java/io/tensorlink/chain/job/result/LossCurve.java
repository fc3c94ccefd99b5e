package io.tensorlink.chain.job.result;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * A job's training loss per step as a PNG line chart (JDK only: java.awt in headless mode and
 * javax.imageio). The y axis spans the finite losses; non-finite ones are skipped and counted in
 * the caption.
 */
public final class LossCurve {
  public static final int WIDTH = 800;
  public static final int HEIGHT = 480;
  private static final int LEFT = 70;
  private static final int RIGHT = 20;
  private static final int TOP = 40;
  private static final int BOTTOM = 50;

  /** One point: the loss after a step (the last stage's lossBits summed over replicas). */
  public record Point(long step, double loss) {}

  private LossCurve() {}

  /** Sums each step's per-replica loss contributions (the records' {@code lossBits}) into the step's loss. */
  public static double loss(final List<Long> lossBits) {
    double sum = 0;
    for (final long bits : lossBits) {
      sum += Double.longBitsToDouble(bits);
    }
    return sum;
  }

  /** Writes the chart of {@code points} (ascending steps) to {@code file}, {@link #WIDTH}×{@link #HEIGHT}. */
  public static void write(final Path file, final String title, final List<Point> points) {
    // drawing into an image needs no display; without this a set DISPLAY makes AWT try to reach an X server
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
    final BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
    final Graphics2D g = image.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, WIDTH, HEIGHT);
      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
      final List<Point> finite = points.stream().filter(p -> Double.isFinite(p.loss())).toList();
      final int plotW = WIDTH - LEFT - RIGHT;
      final int plotH = HEIGHT - TOP - BOTTOM;
      g.setColor(Color.BLACK);
      g.drawRect(LEFT, TOP, plotW, plotH);
      g.drawString(title, LEFT, TOP - 15);
      if (finite.isEmpty()) {
        g.drawString("no loss values recorded", LEFT + 10, TOP + plotH / 2);
      } else {
        final long minStep = finite.get(0).step();
        final long maxStep = Math.max(minStep + 1, finite.get(finite.size() - 1).step());
        double lo = finite.stream().mapToDouble(Point::loss).min().orElseThrow();
        double hi = finite.stream().mapToDouble(Point::loss).max().orElseThrow();
        if (hi - lo < 1e-12) {
          lo -= 0.5;
          hi += 0.5;
        }
        g.drawString(String.format(Locale.ROOT, "%.4g", hi), 5, TOP + 5);
        g.drawString(String.format(Locale.ROOT, "%.4g", lo), 5, TOP + plotH);
        g.drawString("step " + minStep, LEFT, HEIGHT - BOTTOM + 20);
        g.drawString("step " + maxStep, LEFT + plotW - 70, HEIGHT - BOTTOM + 20);
        g.drawString("loss", 5, TOP + plotH / 2);
        final Path2D.Double line = new Path2D.Double();
        for (int i = 0; i < finite.size(); i++) {
          final Point p = finite.get(i);
          final double x = LEFT + (double) (p.step() - minStep) / (maxStep - minStep) * plotW;
          final double y = TOP + (hi - p.loss()) / (hi - lo) * plotH;
          if (i == 0) {
            line.moveTo(x, y);
          } else {
            line.lineTo(x, y);
          }
        }
        g.setColor(new Color(0x1f, 0x77, 0xb4));
        g.setStroke(new BasicStroke(2f));
        g.draw(line);
        g.setColor(Color.DARK_GRAY);
        final int skipped = points.size() - finite.size();
        g.drawString(finite.size() + " steps" + (skipped == 0 ? "" : ", " + skipped + " non-finite skipped"),
            LEFT + plotW - 200, HEIGHT - 15);
      }
    } finally {
      g.dispose();
    }
    try {
      final Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      if (!ImageIO.write(image, "png", file.toFile())) {
        throw new IllegalStateException("no PNG writer in this JDK");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the loss curve " + file + ": " + e.getMessage(), e);
    }
  }
}
