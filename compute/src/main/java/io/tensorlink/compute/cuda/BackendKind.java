package io.tensorlink.compute.cuda;

import java.util.Locale;

/** Which backend to run on: {@code auto} picks CUDA when a device is usable, else the CPU. */
public enum BackendKind {
  AUTO,
  CPU,
  CUDA;

  /** Parses {@code auto}, {@code cpu} or {@code cuda} (any case), naming the valid values on error. */
  public static BackendKind parse(final String text) {
    try {
      return valueOf(text.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown backend '" + text + "' (expected auto, cpu or cuda)", e);
    }
  }
}
