package io.tensorlink.compute.nn;

import io.tensorlink.compute.rng.CounterRng;
import java.util.Map;

/**
 * An independent float64 forward pass for every layer type: plain loops straight from the
 * definitions, sharing no code with the float32 engine (only the dropout mask formula, which is
 * part of the layer's definition). The gradient checks differentiate this numerically.
 */
final class DoubleReference {
  private DoubleReference() {}

  /** Forward of {@code layer} on {@code x} (shape {@code [B, ...]}) with float64 parameters. */
  static double[] forward(final Layer layer, final double[] x, final int[] shape, final Map<String, double[]> p,
      final long seed, final long step) {
    final int batch = shape[0];
    final int[] sample = java.util.Arrays.copyOfRange(shape, 1, shape.length);
    return switch (layer) {
      case Linear l -> linear(x, p.get(l.name() + ".weight"), l.bias() ? p.get(l.name() + ".bias") : null, l.in(), l.out());
      case ActivationLayer a -> {
        final double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
          y[i] = switch (a.activation()) {
            case RELU -> Math.max(0, x[i]);
            case TANH -> Math.tanh(x[i]);
            case GELU -> 0.5 * x[i] * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x[i] + 0.044715 * x[i] * x[i] * x[i])));
          };
        }
        yield y;
      }
      case Flatten f -> x.clone();
      case Dropout d -> {
        final double[] y = new double[x.length];
        final long purpose = CounterRng.PURPOSE_DROPOUT ^ CounterRng.nameId(d.name());
        for (int i = 0; i < x.length; i++) {
          y[i] = CounterRng.uniform(seed, purpose, step, i) < d.p() ? 0 : x[i] / (1 - d.p());
        }
        yield y;
      }
      case Conv2d c -> conv(c, x, batch, sample, p.get(c.name() + ".weight"), p.get(c.name() + ".bias"));
      case MaxPool2d m -> maxPool(m, x, batch, sample);
      case LayerNorm n -> layerNorm(x, n.dim(), n.eps(), p.get(n.name() + ".weight"), p.get(n.name() + ".bias"));
      case Embedding e -> embedding(e, x, batch, sample[0], p);
      case CausalSelfAttention a -> attention(a, x, batch, sample[0], p);
      case Residual r -> {
        double[] h = x;
        int[] s = shape;
        for (final Layer inner : r.layers()) {
          h = forward(inner, h, s, p, seed, step);
          s = Layer.batched(batch, inner.outputShape(java.util.Arrays.copyOfRange(s, 1, s.length)));
        }
        final double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
          y[i] = x[i] + h[i];
        }
        yield y;
      }
      default -> throw new IllegalArgumentException("no reference for " + layer);
    };
  }

  static double[] linear(final double[] x, final double[] w, final double[] b, final int in, final int out) {
    final int rows = x.length / in;
    final double[] y = new double[rows * out];
    for (int r = 0; r < rows; r++) {
      for (int o = 0; o < out; o++) {
        double s = b == null ? 0 : b[o];
        for (int i = 0; i < in; i++) {
          s += x[r * in + i] * w[o * in + i];
        }
        y[r * out + o] = s;
      }
    }
    return y;
  }

  private static double[] conv(final Conv2d c, final double[] x, final int batch, final int[] chw, final double[] w,
      final double[] b) {
    final int h = chw[1];
    final int wd = chw[2];
    final int k = c.kernel();
    final int oh = (h + 2 * c.padding() - k) / c.stride() + 1;
    final int ow = (wd + 2 * c.padding() - k) / c.stride() + 1;
    final double[] y = new double[batch * c.outChannels() * oh * ow];
    for (int n = 0; n < batch; n++) {
      for (int o = 0; o < c.outChannels(); o++) {
        for (int oy = 0; oy < oh; oy++) {
          for (int ox = 0; ox < ow; ox++) {
            double s = b[o];
            for (int ch = 0; ch < c.inChannels(); ch++) {
              for (int ky = 0; ky < k; ky++) {
                for (int kx = 0; kx < k; kx++) {
                  final int iy = oy * c.stride() - c.padding() + ky;
                  final int ix = ox * c.stride() - c.padding() + kx;
                  if (iy >= 0 && iy < h && ix >= 0 && ix < wd) {
                    s += x[((n * c.inChannels() + ch) * h + iy) * wd + ix] * w[((o * c.inChannels() + ch) * k + ky) * k + kx];
                  }
                }
              }
            }
            y[((n * c.outChannels() + o) * oh + oy) * ow + ox] = s;
          }
        }
      }
    }
    return y;
  }

  private static double[] maxPool(final MaxPool2d m, final double[] x, final int batch, final int[] chw) {
    final int h = chw[1];
    final int w = chw[2];
    final int oh = (h - m.kernel()) / m.stride() + 1;
    final int ow = (w - m.kernel()) / m.stride() + 1;
    final double[] y = new double[batch * chw[0] * oh * ow];
    for (int pl = 0; pl < batch * chw[0]; pl++) {
      for (int oy = 0; oy < oh; oy++) {
        for (int ox = 0; ox < ow; ox++) {
          double best = Double.NEGATIVE_INFINITY;
          for (int ky = 0; ky < m.kernel(); ky++) {
            for (int kx = 0; kx < m.kernel(); kx++) {
              best = Math.max(best, x[(pl * h + oy * m.stride() + ky) * w + ox * m.stride() + kx]);
            }
          }
          y[(pl * oh + oy) * ow + ox] = best;
        }
      }
    }
    return y;
  }

  private static double[] layerNorm(final double[] x, final int dim, final double eps, final double[] w,
      final double[] b) {
    final double[] y = new double[x.length];
    for (int r = 0; r < x.length / dim; r++) {
      double mean = 0;
      for (int i = 0; i < dim; i++) {
        mean += x[r * dim + i];
      }
      mean /= dim;
      double var = 0;
      for (int i = 0; i < dim; i++) {
        var += (x[r * dim + i] - mean) * (x[r * dim + i] - mean);
      }
      var /= dim;
      for (int i = 0; i < dim; i++) {
        y[r * dim + i] = (x[r * dim + i] - mean) / Math.sqrt(var + eps) * w[i] + b[i];
      }
    }
    return y;
  }

  private static double[] embedding(final Embedding e, final double[] x, final int batch, final int t,
      final Map<String, double[]> p) {
    final double[] w = p.get(e.name() + ".weight");
    final double[] pos = e.positions() > 0 ? p.get(e.name() + ".position") : null;
    final double[] y = new double[batch * t * e.dim()];
    for (int i = 0; i < batch * t; i++) {
      for (int c = 0; c < e.dim(); c++) {
        y[i * e.dim() + c] = w[(int) x[i] * e.dim() + c] + (pos == null ? 0 : pos[(i % t) * e.dim() + c]);
      }
    }
    return y;
  }

  private static double[] attention(final CausalSelfAttention a, final double[] x, final int batch, final int t,
      final Map<String, double[]> p) {
    final int c = a.dim();
    final int d = c / a.heads();
    final double[] qkv = linear(x, p.get(a.name() + ".qkv.weight"), p.get(a.name() + ".qkv.bias"), c, 3 * c);
    final double[] out = new double[batch * t * c];
    for (int b = 0; b < batch; b++) {
      for (int h = 0; h < a.heads(); h++) {
        for (int i = 0; i < t; i++) {
          final double[] s = new double[i + 1];
          double max = Double.NEGATIVE_INFINITY;
          for (int j = 0; j <= i; j++) {
            double dot = 0;
            for (int e = 0; e < d; e++) {
              dot += qkv[(b * t + i) * 3 * c + h * d + e] * qkv[(b * t + j) * 3 * c + c + h * d + e];
            }
            s[j] = dot / Math.sqrt(d);
            max = Math.max(max, s[j]);
          }
          double z = 0;
          for (int j = 0; j <= i; j++) {
            s[j] = Math.exp(s[j] - max);
            z += s[j];
          }
          for (int j = 0; j <= i; j++) {
            for (int e = 0; e < d; e++) {
              out[(b * t + i) * c + h * d + e] += s[j] / z * qkv[(b * t + j) * 3 * c + 2 * c + h * d + e];
            }
          }
        }
      }
    }
    return linear(out, p.get(a.name() + ".proj.weight"), p.get(a.name() + ".proj.bias"), c, c);
  }
}
