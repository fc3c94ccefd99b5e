package io.tensorlink.compute.run;

import io.tensorlink.compute.optim.AdamW;
import io.tensorlink.compute.optim.Optimizer;
import io.tensorlink.compute.optim.Sgd;
import java.util.Locale;

/** The optimizers a run can name, with the defaults a command line gets. */
public enum OptimizerChoice {
  /** Plain SGD. */
  SGD,
  /** SGD with momentum 0.9. */
  MOMENTUM,
  /** SGD with Nesterov momentum 0.9. */
  NESTEROV,
  /** AdamW with β = (0.9, 0.999), ε = 1e-8, weight decay 0.01. */
  ADAMW;

  private static final float MOMENTUM_DEFAULT = 0.9f;

  public Optimizer create() {
    return switch (this) {
      case SGD -> Sgd.plain();
      case MOMENTUM -> new Sgd(MOMENTUM_DEFAULT, false, 0f);
      case NESTEROV -> new Sgd(MOMENTUM_DEFAULT, true, 0f);
      case ADAMW -> AdamW.defaults();
    };
  }

  /** Parses {@code sgd}, {@code momentum}, {@code nesterov} or {@code adamw} (any case). */
  public static OptimizerChoice parse(final String text) {
    try {
      return valueOf(text.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "unknown optimizer '" + text + "' (expected sgd, momentum, nesterov or adamw)", e);
    }
  }
}
